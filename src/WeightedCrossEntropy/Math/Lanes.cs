using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeightedCrossEntropy.Math;

/// <summary>One <see cref="double"/> per lane: the path taken without SIMD hardware and for the tails.</summary>
internal readonly struct ScalarLanes : ILanes<double>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Create(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Load(ref double source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double value, ref double destination) => destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadWidened(ref float source, out double lower, out double upper)
    {
        lower = source;
        upper = Unsafe.Add(ref source, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(double lower, double upper, ref float destination)
    {
        destination = (float)lower;
        Unsafe.Add(ref destination, 1) = (float)upper;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Add(double a, double b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Subtract(double a, double b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Multiply(double a, double b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Divide(double a, double b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FusedMultiplyAdd(double a, double b, double c) => System.Math.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FusedMultiplySubtract(double a, double b, double c) => System.Math.FusedMultiplyAdd(a, b, -c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FusedNegatedMultiplyAdd(double a, double b, double c) => System.Math.FusedMultiplyAdd(-a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Abs(double a) => System.Math.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double RoundToInteger(double a) => System.Math.Round(a, MidpointRounding.ToEven);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double MinNumber(double a, double b) => a < b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double LessThan(double a, double b) => LaneConstants.Mask(a < b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Equal(double a, double b) => LaneConstants.Mask(a == b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double And(double a, double b) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Or(double a, double b) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | BitConverter.DoubleToInt64Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AndNot(double a, double b) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & ~BitConverter.DoubleToInt64Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Xor(double a, double b) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) ^ BitConverter.DoubleToInt64Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double BitsLessThanOrEqual(double a, double b) =>
        LaneConstants.Mask(BitConverter.DoubleToUInt64Bits(a) <= BitConverter.DoubleToUInt64Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(double mask) => LaneConstants.IsSet(mask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool NoneSet(double mask) => !LaneConstants.IsSet(mask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessThanOrEqual(double a, double b) => a <= b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllEqual(double a, double b) => a == b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBitsLessThanOrEqual(double a, double b) => BitConverter.DoubleToUInt64Bits(a) <= BitConverter.DoubleToUInt64Bits(b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double LoadBytes(ref byte source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Select(double mask, double ifTrue, double ifFalse) => LaneConstants.IsSet(mask) ? ifTrue : ifFalse;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Pow2(double n) => Pow2FromMagic(n + LaneConstants.Pow2Magic);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Pow2FromMagic(double magicPlusN) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(magicPlusN) << 52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ScaleNormal(double value, double pow2) =>
        BitConverter.Int64BitsToDouble(
            BitConverter.DoubleToInt64Bits(value) + (BitConverter.DoubleToInt64Bits(pow2) - LaneConstants.OneBits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(double a) => a;
}

/// <summary>Two doubles per lane (SSE, Arm64 AdvSimd).</summary>
internal readonly struct Vector128Lanes : ILanes<Vector128<double>>
{
    public static int Count => Vector128<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Create(double value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Load(ref double source) => Vector128.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<double> value, ref double destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadWidened(ref float source, out Vector128<double> lower, out Vector128<double> upper) =>
        (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(Vector128<double> lower, Vector128<double> upper, ref float destination) =>
        Vector128.Narrow(lower, upper).StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> LoadBytes(ref byte source)
    {
        var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<ushort>(ref source)).AsByte();
        var words = Vector128.WidenLower(Vector128.WidenLower(bytes));
        return Vector128.ConvertToDouble(Vector128.WidenLower(words).AsInt64());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Subtract(Vector128<double> a, Vector128<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Multiply(Vector128<double> a, Vector128<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Divide(Vector128<double> a, Vector128<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> FusedMultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> FusedMultiplySubtract(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Fma.IsSupported ? Fma.MultiplySubtract(a, b, c) : Vector128.FusedMultiplyAdd(a, b, -c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> FusedNegatedMultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Fma.IsSupported ? Fma.MultiplyAddNegated(a, b, c) : Vector128.FusedMultiplyAdd(-a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Abs(Vector128<double> a) => Vector128.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> RoundToInteger(Vector128<double> a) => Vector128.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> MinNumber(Vector128<double> a, Vector128<double> b) => Vector128.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> LessThan(Vector128<double> a, Vector128<double> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Equal(Vector128<double> a, Vector128<double> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> And(Vector128<double> a, Vector128<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Or(Vector128<double> a, Vector128<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> AndNot(Vector128<double> a, Vector128<double> b) => Vector128.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Xor(Vector128<double> a, Vector128<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> BitsLessThanOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqual(a.AsUInt64(), b.AsUInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Vector128<double> mask) => Vector128.ExtractMostSignificantBits(mask) == 0x3u;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool NoneSet(Vector128<double> mask) => Vector128.ExtractMostSignificantBits(mask) == 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessThanOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqualAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllEqual(Vector128<double> a, Vector128<double> b) => Vector128.EqualsAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBitsLessThanOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqualAll(a.AsUInt64(), b.AsUInt64());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Select(Vector128<double> mask, Vector128<double> ifTrue, Vector128<double> ifFalse) => Vector128.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Pow2(Vector128<double> n) => Pow2FromMagic(n + Vector128.Create(LaneConstants.Pow2Magic));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Pow2FromMagic(Vector128<double> magicPlusN) =>
        Vector128.ShiftLeft(magicPlusN.AsInt64(), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> ScaleNormal(Vector128<double> value, Vector128<double> pow2) =>
        (value.AsInt64() + (pow2.AsInt64() - Vector128.Create(LaneConstants.OneBits))).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector128<double> a) => a.GetElement(0) + a.GetElement(1);
}

/// <summary>Four doubles per lane (AVX2).</summary>
internal readonly struct Vector256Lanes : ILanes<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Create(double value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(ref double source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<double> value, ref double destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadWidened(ref float source, out Vector256<double> lower, out Vector256<double> upper) =>
        (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(Vector256<double> lower, Vector256<double> upper, ref float destination) =>
        Vector256.Narrow(lower, upper).StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LoadBytes(ref byte source)
    {
        var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref source)).AsByte();
        var integers = Vector128.WidenLower(Vector128.WidenLower(bytes)).AsInt32();
        if (Avx.IsSupported)
        {
            return Avx.ConvertToVector256Double(integers);
        }

        return Vector256.Create(Vector128.ConvertToDouble(Vector128.WidenLower(integers)), Vector128.ConvertToDouble(Vector128.WidenUpper(integers)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> FusedMultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> FusedMultiplySubtract(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Fma.IsSupported ? Fma.MultiplySubtract(a, b, c) : Vector256.FusedMultiplyAdd(a, b, -c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> FusedNegatedMultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Fma.IsSupported ? Fma.MultiplyAddNegated(a, b, c) : Vector256.FusedMultiplyAdd(-a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Abs(Vector256<double> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> RoundToInteger(Vector256<double> a) => Vector256.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MinNumber(Vector256<double> a, Vector256<double> b) => Vector256.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> LessThan(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Equal(Vector256<double> a, Vector256<double> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Or(Vector256<double> a, Vector256<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> AndNot(Vector256<double> a, Vector256<double> b) => Vector256.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Xor(Vector256<double> a, Vector256<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> BitsLessThanOrEqual(Vector256<double> a, Vector256<double> b) => Vector256.LessThanOrEqual(a.AsUInt64(), b.AsUInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Vector256<double> mask) => Vector256.ExtractMostSignificantBits(mask) == 0xfu;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool NoneSet(Vector256<double> mask) => Vector256.ExtractMostSignificantBits(mask) == 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessThanOrEqual(Vector256<double> a, Vector256<double> b) => Vector256.LessThanOrEqualAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllEqual(Vector256<double> a, Vector256<double> b) => Vector256.EqualsAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBitsLessThanOrEqual(Vector256<double> a, Vector256<double> b) => Vector256.LessThanOrEqualAll(a.AsUInt64(), b.AsUInt64());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Select(Vector256<double> mask, Vector256<double> ifTrue, Vector256<double> ifFalse) => Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Pow2(Vector256<double> n) => Pow2FromMagic(n + Vector256.Create(LaneConstants.Pow2Magic));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Pow2FromMagic(Vector256<double> magicPlusN) =>
        Vector256.ShiftLeft(magicPlusN.AsInt64(), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ScaleNormal(Vector256<double> value, Vector256<double> pow2) =>
        (value.AsInt64() + (pow2.AsInt64() - Vector256.Create(LaneConstants.OneBits))).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector256<double> a) => Vector128Lanes.Sum(a.GetLower() + a.GetUpper());
}

/// <summary>Eight doubles per lane (AVX-512).</summary>
internal readonly struct Vector512Lanes : ILanes<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Create(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(ref double source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> value, ref double destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadWidened(ref float source, out Vector512<double> lower, out Vector512<double> upper) =>
        (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(Vector512<double> lower, Vector512<double> upper, ref float destination) =>
        Vector512.Narrow(lower, upper).StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LoadBytes(ref byte source)
    {
        var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref source)).AsByte();
        if (Avx512F.IsSupported && Avx2.IsSupported)
        {
            return Avx512F.ConvertToVector512Double(Avx2.ConvertToVector256Int32(bytes));
        }

        return Vector512.Create(Vector256Lanes.LoadBytes(ref source), Vector256Lanes.LoadBytes(ref Unsafe.Add(ref source, 4)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> FusedMultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> FusedMultiplySubtract(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Avx512F.IsSupported ? Avx512F.FusedMultiplySubtract(a, b, c) : Vector512.FusedMultiplyAdd(a, b, -c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> FusedNegatedMultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Avx512F.IsSupported ? Avx512F.FusedMultiplyAddNegated(a, b, c) : Vector512.FusedMultiplyAdd(-a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Abs(Vector512<double> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> RoundToInteger(Vector512<double> a) => Vector512.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MinNumber(Vector512<double> a, Vector512<double> b) => Vector512.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> LessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Equal(Vector512<double> a, Vector512<double> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Or(Vector512<double> a, Vector512<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> AndNot(Vector512<double> a, Vector512<double> b) => Vector512.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Xor(Vector512<double> a, Vector512<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> BitsLessThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqual(a.AsUInt64(), b.AsUInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Vector512<double> mask) => Vector512.ExtractMostSignificantBits(mask) == 0xffu;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool NoneSet(Vector512<double> mask) => Vector512.ExtractMostSignificantBits(mask) == 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqualAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllEqual(Vector512<double> a, Vector512<double> b) => Vector512.EqualsAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBitsLessThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqualAll(a.AsUInt64(), b.AsUInt64());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Select(Vector512<double> mask, Vector512<double> ifTrue, Vector512<double> ifFalse) => Vector512.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Pow2(Vector512<double> n) => Pow2FromMagic(n + Vector512.Create(LaneConstants.Pow2Magic));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Pow2FromMagic(Vector512<double> magicPlusN) =>
        Vector512.ShiftLeft(magicPlusN.AsInt64(), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ScaleNormal(Vector512<double> value, Vector512<double> pow2) =>
        (value.AsInt64() + (pow2.AsInt64() - Vector512.Create(LaneConstants.OneBits))).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector512<double> a) => Vector256Lanes.Sum(a.GetLower() + a.GetUpper());
}
