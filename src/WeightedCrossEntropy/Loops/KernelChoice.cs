using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The kernel choice for one slice of float or double elements: <see cref="Run{TOp, TE, TIO}"/> picks the loop family
/// (<see cref="SingleLoop"/> for float32 and <see cref="DoubleLoop"/> for float64 where the operator has hard-label
/// kernels, else <see cref="ElementwiseLoop"/>), and each <c>…AtWidth</c> method the lane width within it.
/// </summary>
internal static class KernelChoice
{
    /// <summary>Byte labels are widened this many at a time, on the stack (16 KiB of float64).</summary>
    internal const int ByteLabelBlock = 2048;

    public static LaneWidth Resolve(LaneWidth width)
    {
        if (width != LaneWidth.Best)
        {
            return width;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            return LaneWidth.Vector512;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return LaneWidth.Vector256;
        }

        return Vector128.IsHardwareAccelerated ? LaneWidth.Vector128 : LaneWidth.Scalar;
    }

    /// <summary>Runs one slice of the work (a chunk, or a converted block) through the kernel family of
    /// <typeparamref name="TOp"/> (<see cref="IElementOperator.RunSlice{TE, TIO}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Run<TOp, TE, TIO>(in ElementwiseCall<TE> call)
        where TOp : struct, IElementOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE> =>
        TOp.RunSlice<TE, TIO>(call);

    /// <summary>The family of the operators with hard-label kernels: <see cref="SingleLoop"/> for float32 and
    /// <see cref="DoubleLoop"/> for float64 at any vector width, <see cref="ElementwiseLoop"/> in scalar lanes, with
    /// or without a sample weight and label smoothing.</summary>
    internal static double HardLabels<TOp, TE, TIO>(in ElementwiseCall<TE> call)
        where TOp : struct, IHardLabelOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        if (!call.Smoothing.IsNone)
        {
            // Smoothed hard labels stay on the hard-label kernels, which form both coefficients per label.
            return call.SampleWeight.IsEmpty
                ? HardLabels<TOp, TE, TIO, SmoothedScaleAny>(call)
                : HardLabels<TOp, TE, TIO, SmoothedScalePerLane>(call);
        }

        if (!call.SampleWeight.IsEmpty)
        {
            return HardLabels<TOp, TE, TIO, ScalePerLane>(call);
        }

        return call.Scale.IsOne
            ? HardLabels<TOp, TE, TIO, ScaleOne>(call)
            : HardLabels<TOp, TE, TIO, ScaleAny>(call);
    }

    /// <summary><see cref="HardLabels{TOp, TE, TIO}"/> for a scale known to be 1 or not (<see cref="IScaleKind"/>).
    /// </summary>
    internal static double HardLabels<TOp, TE, TIO, TS>(in ElementwiseCall<TE> call)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        var lanes = Resolve(call.Width);
        if (typeof(TE) == typeof(float) && lanes != LaneWidth.Scalar)
        {
            // float32 in float lanes; byte labels are widened there, in registers.
            return SingleLoopAtWidth<TOp, TS>(call.As<float>(), lanes);
        }

        if (typeof(TE) == typeof(double) && lanes != LaneWidth.Scalar)
        {
            // float64 with the hard-label kernel; byte labels are widened in registers.
            return DoubleLoopAtWidth<TOp, TS>(call.As<double>(), lanes);
        }

        return ElementwiseLoopForLabels<TOp, TE, TIO, TS>(call);
    }

    /// <summary>The family of the operators with float lanes but no hard-label kernel (∂/∂labels), and of every call
    /// with smoothed labels: <see cref="ElementwiseLoop"/>, float32 in <see cref="SingleFastPath"/>'s float lanes where
    /// the width allows.</summary>
    internal static double FloatLanes<TOp, TE, TIO>(in ElementwiseCall<TE> call)
        where TOp : struct, IFloatLaneOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        bool weighted = !call.SampleWeight.IsEmpty;
        if (!call.Smoothing.IsNone)
        {
            return weighted
                ? ElementwiseLoopForLabels<TOp, TE, TIO, SmoothedScalePerLane>(call)
                : ElementwiseLoopForLabels<TOp, TE, TIO, SmoothedScaleAny>(call);
        }

        if (weighted)
        {
            return ElementwiseLoopForLabels<TOp, TE, TIO, ScalePerLane>(call);
        }

        return call.Scale.IsOne
            ? ElementwiseLoopForLabels<TOp, TE, TIO, ScaleOne>(call)
            : ElementwiseLoopForLabels<TOp, TE, TIO, ScaleAny>(call);
    }

    /// <summary>The general loop (<see cref="ElementMath{TV, L}"/> in <see cref="ElementwiseLoop"/>) over labels as
    /// given, or over byte labels converted a block at a time.</summary>
    internal static double ElementwiseLoopForLabels<TOp, TE, TIO, TS>(in ElementwiseCall<TE> call)
        where TOp : struct, IFloatLaneOperator
        where TS : struct, IScaleKind
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE> =>
        call.ByteLabels.IsEmpty
            ? ElementwiseLoopAtWidth<TOp, TE, TIO, TS>(call)
            : ElementwiseLoopFromBytes<TOp, TE, TIO, TS>(call);

    /// <summary>Byte labels of one chunk, converted to <typeparamref name="TE"/> a stack block at a time; the block
    /// sums are added in order.</summary>
    [SkipLocalsInit]
    private static double ElementwiseLoopFromBytes<TOp, TE, TIO, TS>(in ElementwiseCall<TE> call)
        where TOp : struct, IFloatLaneOperator
        where TS : struct, IScaleKind
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        var labels = call.ByteLabels;
        Span<TE> block = stackalloc TE[ByteLabelBlock];
        double total = 0.0;
        for (int start = 0; start < labels.Length; start += ByteLabelBlock)
        {
            int count = System.Math.Min(ByteLabelBlock, labels.Length - start);
            var converted = block[..count];
            if (typeof(TE) == typeof(float))
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(
                    labels.Slice(start, count), MemoryMarshal.Cast<TE, float>(converted));
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(
                    labels.Slice(start, count), MemoryMarshal.Cast<TE, double>(converted));
            }

            total += ElementwiseLoopAtWidth<TOp, TE, TIO, TS>(call.Slice(converted, start, count));
        }

        return total;
    }

    private static double ElementwiseLoopAtWidth<TOp, TE, TIO, TS>(in ElementwiseCall<TE> call)
        where TOp : struct, IFloatLaneOperator
        where TS : struct, IScaleKind
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        var lanes = Resolve(call.Width);
        if (typeof(TE) == typeof(float) && Vector256.IsHardwareAccelerated &&
            lanes is LaneWidth.Vector512 or LaneWidth.Vector256)
        {
            // float32 at a vector width (only the float-lane family gets here so: the hard-label family runs float32
            // in SingleLoop): eight at a time in SingleFastPath's float lanes, the rest in Vector256 double lanes.
            return ElementwiseLoop.Run<TOp, TE, TIO, Vector256<double>, Vector256Lanes, TS>(call);
        }

        return lanes switch
        {
            LaneWidth.Vector512 when Vector512.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector512<double>, Vector512Lanes, TS>(call),
            LaneWidth.Vector256 when Vector256.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector256<double>, Vector256Lanes, TS>(call),
            LaneWidth.Vector128 when Vector128.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector128<double>, Vector128Lanes, TS>(call),
            _ => ElementwiseLoop.Run<TOp, TE, TIO, double, ScalarLanes, TS>(call),
        };
    }

    /// <summary>float32 operators with float lanes (<see cref="SingleLoop"/>): Vector512 float lanes fall back on
    /// Vector256 double lanes (where <see cref="SingleFastPath"/> runs), Vector256 on Vector256, Vector128 on
    /// Vector128.</summary>
    private static double SingleLoopAtWidth<TOp, TS>(in ElementwiseCall<float> call, LaneWidth lanes)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
    {
        return lanes switch
        {
            LaneWidth.Vector512 when Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated =>
                SingleLoop.Run<TOp, Vector512<float>, Vector512<double>, Vector512SingleLanes, Vector512Lanes, Vector256<double>, Vector256Lanes, TS>(call),
            LaneWidth.Vector256 when Vector256.IsHardwareAccelerated =>
                SingleLoop.Run<TOp, Vector256<float>, Vector256<double>, Vector256SingleLanes, Vector256Lanes, Vector256<double>, Vector256Lanes, TS>(call),
            LaneWidth.Vector128 when Vector128.IsHardwareAccelerated =>
                SingleLoop.Run<TOp, Vector128<float>, Vector128<double>, Vector128SingleLanes, Vector128Lanes, Vector128<double>, Vector128Lanes, TS>(call),
            _ => ElementwiseLoopForLabels<TOp, float, SingleElements, TS>(call.At(LaneWidth.Scalar)),
        };
    }

    /// <summary>float64 operators with hard-label kernels (<see cref="DoubleLoop"/>), at the lane width asked for.</summary>
    private static double DoubleLoopAtWidth<TOp, TS>(in ElementwiseCall<double> call, LaneWidth lanes)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
    {
        return lanes switch
        {
            LaneWidth.Vector512 when Vector512.IsHardwareAccelerated =>
                DoubleLoop.Run<TOp, Vector512<double>, Vector512Lanes, TS>(call),
            LaneWidth.Vector256 when Vector256.IsHardwareAccelerated =>
                DoubleLoop.Run<TOp, Vector256<double>, Vector256Lanes, TS>(call),
            LaneWidth.Vector128 when Vector128.IsHardwareAccelerated =>
                DoubleLoop.Run<TOp, Vector128<double>, Vector128Lanes, TS>(call),
            _ => ElementwiseLoopForLabels<TOp, double, DoubleElements, TS>(call.At(LaneWidth.Scalar)),
        };
    }
}
