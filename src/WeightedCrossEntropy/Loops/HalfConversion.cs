using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// Half ↔ double for whole blocks, 16 elements a step: the same bits as .NET's scalar conversions
/// (<c>(double)h</c>, exact; <c>(Half)d</c>, rounded once to nearest, ties to even), which cost 2–5 ns an element
/// each and would take most of a Half call's time.
/// </summary>
/// <remarks>
/// <para>Half → double: the Half's exponent and mantissa shifted into a float and scaled by 2^112 (which also makes
/// Half's subnormals normal), ±∞ and NaN given float's exponent, then widened; exact.</para>
/// <para>double → Half: first to float rounded to odd (rounded to nearest, then, where that was inexact and gave an
/// even mantissa, moved one step towards the double), which keeps enough of the double that rounding that float to
/// nearest Half gives the double rounded to nearest Half (float has 13 bits more than Half, two would do); then float
/// → Half with integer steps (the exponent rebiased with a rounding bias of 0xFFF plus the lowest kept bit, carries
/// running into the exponent, up to ∞; below Half's normal range an addition of a magic float aligns the bits and
/// rounds).</para>
/// <para>NaN payloads come out as .NET's do: a Half NaN's is shifted into the float and widened (quieted, as
/// .NET's conversion quiets it); a step with a NaN double takes the scalar conversion.</para>
/// </remarks>
internal static class HalfConversion
{
    /// <summary>destination[i] = (double)source[i].</summary>
    public static void ToDouble(ReadOnlySpan<Half> source, Span<double> destination)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref ushort s = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(source));
            ref double d = ref MemoryMarshal.GetReference(destination);
            for (; i <= source.Length - 16; i += 16)
            {
                var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref s, (nuint)i));
                var (d0, d1) = Vector256.Widen(ToSingle(low));
                var (d2, d3) = Vector256.Widen(ToSingle(high));
                d0.StoreUnsafe(ref d, (nuint)i);
                d1.StoreUnsafe(ref d, (nuint)(i + 4));
                d2.StoreUnsafe(ref d, (nuint)(i + 8));
                d3.StoreUnsafe(ref d, (nuint)(i + 12));
            }
        }

        Scalar(source[i..], destination[i..]);

        static void Scalar(ReadOnlySpan<Half> source, Span<double> destination)
        {
            for (int j = 0; j < source.Length; j++)
            {
                destination[j] = (double)source[j];
            }
        }
    }

    /// <summary>destination[i] = (Half)source[i].</summary>
    public static void ToHalf(ReadOnlySpan<double> source, Span<Half> destination)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double s = ref MemoryMarshal.GetReference(source);
            ref ushort d = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(destination));
            for (; i <= source.Length - 16; i += 16)
            {
                var d0 = Vector256.LoadUnsafe(ref s, (nuint)i);
                var d1 = Vector256.LoadUnsafe(ref s, (nuint)(i + 4));
                var d2 = Vector256.LoadUnsafe(ref s, (nuint)(i + 8));
                var d3 = Vector256.LoadUnsafe(ref s, (nuint)(i + 12));
                if (!Vector256.EqualsAll((d0 + d1) + (d2 + d3), (d0 + d1) + (d2 + d3))
                    && (HasNaN(d0) || HasNaN(d1) || HasNaN(d2) || HasNaN(d3)))
                {
                    Scalar(source.Slice(i, 16), destination.Slice(i, 16));
                    continue;
                }

                var low = FromSingle(RoundToOdd(d0, d1));
                var high = FromSingle(RoundToOdd(d2, d3));
                Vector256.Narrow(low, high).StoreUnsafe(ref d, (nuint)i);
            }
        }

        Scalar(source[i..], destination[i..]);

        static void Scalar(ReadOnlySpan<double> source, Span<Half> destination)
        {
            for (int j = 0; j < source.Length; j++)
            {
                destination[j] = (Half)source[j];
            }
        }
    }

    /// <summary>Eight Halves (in the low 16 bits of each lane) as floats, exactly; a NaN keeps its payload (shifted
    /// up 13 bits), as .NET's conversion does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ToSingle(Vector256<uint> half)
    {
        var magnitude = half & Vector256.Create(0x7FFFu);
        var sign = (half & Vector256.Create(0x8000u)) << 16;
        var shifted = magnitude << 13;
        var finite = shifted.AsSingle() * Vector256.Create(5.192296858534828e33f); // 2^112
        var infinite = Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(0x7C00u));
        return Vector256.ConditionalSelect(
            infinite.AsSingle(), (shifted | Vector256.Create(0x7F800000u)).AsSingle(), finite) | sign.AsSingle();
    }

    /// <summary>Eight doubles (two vectors) as floats rounded to odd: the nearest float where it is exact or odd,
    /// else its neighbour towards the double (the odd one of the two floats around it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RoundToOdd(Vector256<double> d0, Vector256<double> d1)
    {
        var nearest = Vector256.Narrow(d0, d1);
        var (back0, back1) = Vector256.Widen(nearest);

        // Per float lane: inexact, and the double's magnitude above the float's (then one step up, else down).
        var inexact = Vector256.Narrow(
            (~Vector256.Equals(back0, d0)).AsUInt64(), (~Vector256.Equals(back1, d1)).AsUInt64());
        var above = Vector256.Narrow(
            Vector256.GreaterThan(Vector256.Abs(d0), Vector256.Abs(back0)).AsUInt64(),
            Vector256.GreaterThan(Vector256.Abs(d1), Vector256.Abs(back1)).AsUInt64());
        var bits = nearest.AsUInt32();
        var even = Vector256.Equals(bits & Vector256<uint>.One, Vector256<uint>.Zero);

        // +1 or −1 (all ones) on the bits, which is one step up or down in magnitude for either sign.
        var step = Vector256.ConditionalSelect(above, Vector256<uint>.One, Vector256<uint>.AllBitsSet);
        return bits + (step & inexact & even);
    }

    /// <summary>Eight floats (as bits) rounded to nearest Half, ties to even, in the low 16 bits of each lane; no
    /// NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> FromSingle(Vector256<uint> bits)
    {
        var sign = bits & Vector256.Create(0x80000000u);
        var magnitude = bits ^ sign;

        // 2^16 and above (∞ included): ∞.
        var overflow = Vector256.GreaterThanOrEqual(magnitude, Vector256.Create((127u + 16) << 23));

        // Below 2^−14, Half's subnormals: adding 0.5 aligns the ten bits at the bottom of the float, rounded to
        // nearest even by the addition itself.
        const uint denormalMagic = ((127u - 15) + (23 - 10) + 1) << 23;
        var subnormal = Vector256.LessThan(magnitude, Vector256.Create(113u << 23));
        var aligned = (magnitude.AsSingle() + Vector256.Create(denormalMagic).AsSingle()).AsUInt32()
            - Vector256.Create(denormalMagic);

        // Normal: rebias the exponent, add 0xFFF plus the lowest bit kept (ties to even), and drop 13 bits; a carry
        // runs into the exponent and, at the top, to ∞.
        var odd = (magnitude >> 13) & Vector256<uint>.One;
        var normal = (magnitude + Vector256.Create(unchecked((uint)((15 - 127) << 23)) + 0xFFFu) + odd) >> 13;

        var half = Vector256.ConditionalSelect(
            overflow, Vector256.Create(0x7C00u), Vector256.ConditionalSelect(subnormal, aligned, normal));
        return half | (sign >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasNaN(Vector256<double> v) => !Vector256.EqualsAll(v, v);
}
