using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Internal;

/// <summary>
/// Tensor wrappers handed to libtorch that cannot be disposed at once: the gradients a backward pass returns are
/// read by the autograd engine after <c>backward</c> returns. Each is disposed at the next call into this library
/// (libtorch holds its own reference by then), so none is left to the finalizer; a DisposeScope that owns one
/// disposes it first, which is harmless.
/// </summary>
internal static class PendingDisposals
{
    private static readonly Lock Gate = new();
    private static List<Tensor> pending = [];

    public static void Add(IEnumerable<Tensor?> tensors)
    {
        lock (Gate)
        {
            foreach (var t in tensors)
            {
                if (t is not null)
                {
                    pending.Add(t);
                }
            }
        }
    }

    public static void Flush()
    {
        List<Tensor> due;
        lock (Gate)
        {
            if (pending.Count == 0)
            {
                return;
            }

            due = pending;
            pending = [];
        }

        foreach (var t in due)
        {
            t.Dispose();
        }
    }
}
