global using Xunit;

// The README's programs write to the process's console, and the shown runs of wce run in a work folder set as the
// process's current directory: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
