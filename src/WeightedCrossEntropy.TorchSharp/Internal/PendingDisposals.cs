using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Internal;

/// <summary>
/// Tensor wrappers handed to libtorch that cannot be disposed at once: the gradients a backward pass returns are
/// read by the autograd engine after <c>backward</c> returns. Each is disposed at the next call into this library on
/// the same thread (by then libtorch holds its own reference, and no other thread can still be reading it), so none is
/// left to the finalizer; a DisposeScope that owns one disposes it first, which is harmless.
/// </summary>
internal static class PendingDisposals
{
    [ThreadStatic]
    private static List<Tensor>? pending;

    public static void Add(IEnumerable<Tensor?> tensors)
    {
        foreach (var t in tensors)
        {
            if (t is not null)
            {
                (pending ??= []).Add(t);
            }
        }
    }

    public static void Flush()
    {
        var due = pending;
        if (due is null || due.Count == 0)
        {
            return;
        }

        pending = null;
        foreach (var t in due)
        {
            t.Dispose();
        }
    }
}
