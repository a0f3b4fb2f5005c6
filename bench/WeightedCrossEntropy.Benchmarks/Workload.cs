using System.Numerics;

namespace WeightedCrossEntropy.Benchmarks;

/// <summary>
/// The workload: N elements laid out as [N/8 × 8], a per-class pos_weight of length 8, hard labels with about
/// 10% ones, logits uniform in [−6, 6], drawn from a fixed seed so every run and every type sees the same values.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Workload<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Classes along the last axis: the length of pos_weight.</summary>
    public const int Classes = 8;

    /// <summary>Share of labels that are 1.</summary>
    public const double PositiveRate = 0.1;

    /// <summary>Logits are uniform in [−LogitRange, LogitRange].</summary>
    public const double LogitRange = 6.0;

    /// <summary>The seed of <see cref="Random"/>; fixed so that runs are comparable.</summary>
    public const int Seed = 20_240_917;

    /// <summary>Per-class weights: a typical spread for classes with 10% positives, one below 1.</summary>
    private static readonly double[] s_posWeight = [9.0, 4.0, 2.0, 1.0, 0.5, 3.0, 6.0, 12.0];

    private Workload(int length)
    {
        if (length <= 0 || length % Classes != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"N must be a positive multiple of {Classes}.");
        }

        Length = length;
        Labels = new T[length];
        ByteLabels = new byte[length];
        Logits = new T[length];
        PosWeight = new T[Classes];
    }

    public int Length { get; }

    /// <summary>Hard labels 0 or 1 in <typeparamref name="T"/>.</summary>
    public T[] Labels { get; }

    /// <summary>The same labels as bytes, for the hard-label overloads.</summary>
    public byte[] ByteLabels { get; }

    public T[] Logits { get; }

    /// <summary>[C] = [8] weights; element i uses PosWeight[i % 8].</summary>
    public T[] PosWeight { get; }

    public static Workload<T> Create(int length)
    {
        var workload = new Workload<T>(length);
#pragma warning disable CA5394 // Random is the point here: a reproducible, seeded workload, nothing secret.
        var random = new Random(Seed);
        for (int i = 0; i < length; i++)
        {
            bool positive = random.NextDouble() < PositiveRate;
            workload.ByteLabels[i] = positive ? (byte)1 : (byte)0;
            workload.Labels[i] = positive ? T.One : T.Zero;
            workload.Logits[i] = T.CreateTruncating((random.NextDouble() * 2.0 - 1.0) * LogitRange);
        }
#pragma warning restore CA5394

        for (int c = 0; c < Classes; c++)
        {
            workload.PosWeight[c] = T.CreateTruncating(s_posWeight[c]);
        }

        return workload;
    }

    /// <summary>pos_weight − 1 repeated to the full length: what a user of TensorPrimitives, which has no broadcasting
    /// along a cycle, has to materialize once.</summary>
    public T[] TiledPosWeightMinusOne()
    {
        var tiled = new T[Length];
        for (int i = 0; i < Length; i++)
        {
            tiled[i] = PosWeight[i % Classes] - T.One;
        }

        return tiled;
    }
}
