using TorchSharp;
using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// The module <see cref="Losses.BCEWithLogitsLoss"/> returns: <c>forward(input, target)</c> is
/// <see cref="Losses.binary_cross_entropy_with_logits"/> with <see cref="weight"/>, <see cref="reduction"/> and
/// <see cref="pos_weights"/>. Behaviour at NaN, ±∞, zero and negative weights, and broadcasting, are as described
/// there.
/// </summary>
/// <inheritdoc cref="Losses" path="/remarks"/>
public sealed class WeightedBCEWithLogitsLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <inheritdoc cref="Losses.binary_cross_entropy_with_logits" path="/param[@name='weight']"/>
    /// <inheritdoc cref="Losses.binary_cross_entropy_with_logits" path="/param[@name='reduction']"/>
    /// <inheritdoc cref="Losses.binary_cross_entropy_with_logits" path="/param[@name='pos_weights']"/>
    public WeightedBCEWithLogitsLoss(
        Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weights = null)
        : base(nameof(WeightedBCEWithLogitsLoss))
    {
        if (reduction is not (Reduction.None or Reduction.Mean or Reduction.Sum))
        {
            throw new ArgumentOutOfRangeException(
                nameof(reduction), reduction, "BCEWithLogitsLoss: reduction must be None, Mean or Sum.");
        }

        this.weight = weight;
        this.reduction = reduction;
        this.pos_weights = pos_weights;
    }

    /// <summary>The per-element weight, broadcast right-aligned to the input; null for none.</summary>
    public Tensor? weight { get; }

    /// <summary>How the elementwise losses are reduced.</summary>
    public Reduction reduction { get; }

    /// <summary>The weight of the positive term, broadcast right-aligned to the input; null for 1.</summary>
    public Tensor? pos_weights { get; }

    /// <summary>The loss of <paramref name="input"/> (logits) against <paramref name="target"/>.</summary>
    /// <param name="input">Logits, floating-point.</param>
    /// <param name="target">Targets, the input's shape, dtype and device.</param>
    /// <returns>The loss, reduced as <see cref="reduction"/> says.</returns>
    /// <exception cref="ArgumentException">Shapes, dtypes or devices do not match.</exception>
    public override Tensor forward(Tensor input, Tensor target) =>
        Losses.binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weights);
}
