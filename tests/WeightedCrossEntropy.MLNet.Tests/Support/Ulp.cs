namespace WeightedCrossEntropy.MLNet.Tests.Support;

/// <summary>Distances in units in the last place, counted along the ordered bit patterns.</summary>
internal static class Ulp
{
    public static long Between(double a, double b)
    {
        if (a == b)
        {
            return 0;
        }

        if (double.IsNaN(a) || double.IsNaN(b) || double.IsInfinity(a) || double.IsInfinity(b))
        {
            return long.MaxValue;
        }

        return System.Math.Abs(Ordered(a) - Ordered(b));
    }

    public static long Between(float a, float b)
    {
        if (a == b)
        {
            return 0;
        }

        if (float.IsNaN(a) || float.IsNaN(b) || float.IsInfinity(a) || float.IsInfinity(b))
        {
            return long.MaxValue;
        }

        return System.Math.Abs((long)Ordered(a) - Ordered(b));
    }

    private static long Ordered(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        return bits < 0 ? long.MinValue - bits : bits;
    }

    private static int Ordered(float x)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        return bits < 0 ? int.MinValue - bits : bits;
    }
}
