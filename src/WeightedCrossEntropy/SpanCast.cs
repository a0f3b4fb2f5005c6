using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WeightedCrossEntropy;

/// <summary>A span of one element type seen as another of the same size, for the generic code that has tested
/// <c>typeof(TFrom) == typeof(TTo)</c> (the JIT removes the test and the other branches).</summary>
internal static class SpanCast
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<TTo> As<TFrom, TTo>(ReadOnlySpan<TFrom> span) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<TTo> As<TFrom, TTo>(Span<TFrom> span) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);
}
