using System.Numerics;

namespace WeightedCrossEntropy.MLNet.Tests.Support;

/// <summary>
/// The softplus sp(t) = log(1 + e^t) and the sigmoid σ(t) in binary fixed point with 1,400 fractional bits
/// (BigInteger), written independently of the library: e^−a by the Taylor series of e^−a/2^m and m squarings,
/// log(1 + y) = 2·atanh(y/(2 + y)) by its series, and one correctly rounded conversion to double. For |t| &gt; 800 the
/// small side e^−|t| &lt; 2^−1154 rounds to 0 in double and is taken as 0.
/// </summary>
internal static class HighPrecision
{
    private const int Bits = 1400;
    private static readonly BigInteger One = BigInteger.One << Bits;

    /// <summary>sp(t), rounded once to double.</summary>
    public static double Softplus(double t) => ToDouble(SoftplusFixed(t));

    /// <summary>q·sp(t), rounded once to double (q a finite double ≥ 0).</summary>
    public static double ScaledSoftplus(double q, double t) => ToDouble(Scale(SoftplusFixed(t), q));

    /// <summary>q·σ(t), rounded once to double.</summary>
    public static double ScaledSigmoid(double q, double t) => ToDouble(Scale(SigmoidFixed(t), q));

    private static BigInteger SoftplusFixed(double t)
    {
        var small = Log1pFixed(ExpNegativeFixed(System.Math.Abs(t)));
        return t > 0 ? FromDouble(t) + small : small;
    }

    private static BigInteger SigmoidFixed(double t)
    {
        var e = ExpNegativeFixed(System.Math.Abs(t));
        var denominator = One + e;
        var numerator = t >= 0 ? One : e;
        return (numerator << Bits) / denominator;
    }

    /// <summary>e^−a for a ≥ 0.</summary>
    private static BigInteger ExpNegativeFixed(double a)
    {
        if (a > 800)
        {
            return BigInteger.Zero;
        }

        // r = a / 2^m < 2^-12, e^-r by Taylor, then squared m times.
        int m = 0;
        while (a / System.Math.Pow(2, m) >= 1.0 / 4096)
        {
            m++;
        }

        var r = FromDouble(a) >> m; // a/2^m, exact to 2^-Bits (a has few bits)
        var sum = One;
        var term = One;
        for (int k = 1; k < 400 && !term.IsZero; k++)
        {
            term = -(term * r >> Bits) / k;
            sum += term;
        }

        for (int i = 0; i < m; i++)
        {
            sum = sum * sum >> Bits;
        }

        return sum;
    }

    /// <summary>log(1 + y) for 0 ≤ y ≤ 1: 2·Σ w^(2k+1)/(2k+1), w = y/(2 + y) ≤ 1/3.</summary>
    private static BigInteger Log1pFixed(BigInteger y)
    {
        var w = (y << Bits) / ((One << 1) + y);
        var w2 = w * w >> Bits;
        var power = w;
        var sum = BigInteger.Zero;
        for (int k = 0; !power.IsZero; k++)
        {
            sum += power / (2 * k + 1);
            power = power * w2 >> Bits;
        }

        return sum << 1;
    }

    private static BigInteger FromDouble(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        int shift = exponent - 1075 + Bits; // x = mantissa · 2^(exponent − 1075)
        var value = shift >= 0 ? new BigInteger(mantissa) << shift : new BigInteger(mantissa) >> -shift;
        return x < 0 ? -value : value;
    }

    private static BigInteger Scale(BigInteger value, double q) => value * FromDouble(q) >> Bits;

    /// <summary>value · 2^−Bits rounded to nearest double (64 leading bits with a sticky bit, then one rounding).</summary>
    private static double ToDouble(BigInteger value)
    {
        if (value.IsZero)
        {
            return 0;
        }

        bool negative = value.Sign < 0;
        var magnitude = BigInteger.Abs(value);
        int length = (int)magnitude.GetBitLength();
        int shift = System.Math.Max(0, length - 64);
        var top = magnitude >> shift;
        if (shift > 0 && (top << shift) != magnitude)
        {
            top |= 1;
        }

        double result = System.Math.ScaleB((double)(ulong)top, shift - Bits);
        return negative ? -result : result;
    }
}
