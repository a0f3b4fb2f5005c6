namespace WeightedCrossEntropy.Loops;

/// <summary>Which lane width a call uses. <see cref="Best"/> is the widest the hardware accelerates.</summary>
internal enum LaneWidth
{
    Best,
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

