namespace WeightedCrossEntropy.Loops;

/// <summary>
/// One slice of an elementwise call as the kernels see it: labels (or, where <see cref="ByteLabels"/> is not empty,
/// byte labels 0 or 1), logits, the cycling pos_weight, the index of the first logit in the whole input (which decides
/// its pos_weight), the destination, the scale every operator applies to the values it stores
/// (<see cref="Math.Scale"/>: 1/N for a mean, else 1), the lane width, the sample weight (empty for none; it cycles
/// along the elements as pos_weight does, so C = N is one weight per element) and the label smoothing. Inputs are
/// validated; the destination may be exactly one of the inputs.
/// </summary>
internal readonly ref struct ElementwiseCall<TE>
    where TE : unmanaged
{
    public readonly ReadOnlySpan<TE> Labels;
    public readonly ReadOnlySpan<byte> ByteLabels;
    public readonly ReadOnlySpan<TE> Logits;
    public readonly ReadOnlySpan<TE> PosWeight;
    public readonly long FirstElement;
    public readonly Span<TE> Destination;
    public readonly Math.Scale Scale;
    public readonly LaneWidth Width;
    public readonly ReadOnlySpan<TE> SampleWeight;
    public readonly Math.Smoothing Smoothing;

    public ElementwiseCall(
        ReadOnlySpan<TE> labels, ReadOnlySpan<byte> byteLabels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight,
        long firstElement, Span<TE> destination, Math.Scale scale, LaneWidth width,
        ReadOnlySpan<TE> sampleWeight = default, Math.Smoothing smoothing = default)
    {
        Labels = labels;
        ByteLabels = byteLabels;
        Logits = logits;
        PosWeight = posWeight;
        FirstElement = firstElement;
        Destination = destination;
        Scale = scale;
        Width = width;
        SampleWeight = sampleWeight;
        Smoothing = smoothing;
    }

    /// <summary>The same call over the same memory seen as <typeparamref name="TTo"/> (after a
    /// <c>typeof(TE) == typeof(TTo)</c> test).</summary>
    public ElementwiseCall<TTo> As<TTo>()
        where TTo : unmanaged =>
        new(SpanCast.As<TE, TTo>(Labels), ByteLabels, SpanCast.As<TE, TTo>(Logits), SpanCast.As<TE, TTo>(PosWeight),
            FirstElement, SpanCast.As<TE, TTo>(Destination), Scale, Width, SpanCast.As<TE, TTo>(SampleWeight),
            Smoothing);

    /// <summary>The same call at another lane width.</summary>
    public ElementwiseCall<TE> At(LaneWidth width) =>
        new(Labels, ByteLabels, Logits, PosWeight, FirstElement, Destination, Scale, width, SampleWeight, Smoothing);

    /// <summary>The same call over a slice of its elements (labels as given, or converted ones).</summary>
    public ElementwiseCall<TE> Slice(ReadOnlySpan<TE> labels, int start, int count) =>
        new(labels, default, Logits.Slice(start, count), PosWeight, FirstElement + start, Destination.Slice(start, count),
            Scale, Width, SampleWeight, Smoothing);
}
