using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace WeightedCrossEntropy.Docs.Tests;

/// <summary>A <c>// prints X</c> comment: the statement it ends, by its lines in the snippet (1-based), and X.</summary>
internal sealed record PrintsComment(int FirstLine, int LastLine, int CommentLine, string Expected);

/// <summary>What a snippet printed from one statement, against its <c>// prints</c> comment.</summary>
internal sealed record PrintsResult(PrintsComment Comment, string Actual)
{
    public bool Matches => string.Equals(Comment.Expected, Actual, StringComparison.Ordinal);
}

/// <summary>
/// A C# code block from the documentation, compiled as a fresh <c>dotnet new console</c> app with the
/// WeightedCrossEntropy package compiles it (top-level statements, nullable on, the SDK's implicit usings; warnings
/// count as failures) and run in-process. Whatever the program writes to the console is attributed to the statement
/// that wrote it (its line, from the debug information), so that each <c>// prints X</c> comment can be checked
/// against what its statement printed.
/// </summary>
/// <remarks>
/// The convention: a statement that writes to the console (<c>Console.WriteLine(...)</c>, possibly over several
/// lines) may end with the comment <c>// prints X</c>; X is everything it printed, its final line break left out. A
/// statement run more than once (in a loop) prints every time, with line breaks in between.
/// </remarks>
internal sealed class Snippet
{
    /// <summary>The SDK's implicit usings for a console app (Microsoft.NET.Sdk, ImplicitUsings enabled).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private const string PrintsPrefix = "// prints ";

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(FindReferences);

    private readonly SyntaxTree tree;

    public Snippet(string source, string name)
    {
        Source = source;
        Name = name;
        var options = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular);
        // The text needs an encoding for the PDB's checksum; the path names the block in diagnostics.
        tree = CSharpSyntaxTree.ParseText(SourceText.From(source, Encoding.UTF8), options, path: name);
        Comments = FindComments(tree);
    }

    public string Source { get; }

    public string Name { get; }

    public IReadOnlyList<PrintsComment> Comments { get; }

    /// <summary>Compiles and runs the snippet.</summary>
    /// <returns>What each <c>// prints</c> comment's statement printed, and everything printed.</returns>
    /// <exception cref="SnippetException">It does not compile (errors or warnings) or it throws.</exception>
    public (IReadOnlyList<PrintsResult> Results, string Output) Run()
    {
        var (pe, pdb) = Compile();
        var context = new AssemblyLoadContext(Name, isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(pe, pdb);
            var entry = assembly.EntryPoint ?? throw new SnippetException($"{Name}: no entry point (not a program of top-level statements)");
            var recorder = new LineRecorder(assembly);
            var original = Console.Out;
            Console.SetOut(recorder);
            try
            {
                var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
                if (result is Task task)
                {
                    task.GetAwaiter().GetResult();
                }
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw new SnippetException($"{Name} threw {e.InnerException.GetType().Name}: {e.InnerException.Message}", e.InnerException);
            }
            finally
            {
                Console.SetOut(original);
            }

            var results = Comments
                .Select(c => new PrintsResult(c, recorder.PrintedBy(c.FirstLine, c.LastLine)))
                .ToList();
            return (results, recorder.All);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The compiled program and its portable PDB.</summary>
    /// <exception cref="SnippetException">An error or a warning, each with its line.</exception>
    public (MemoryStream Pe, MemoryStream Pdb) Compile()
    {
        var options = new CSharpCompilationOptions(
            OutputKind.ConsoleApplication,
            nullableContextOptions: NullableContextOptions.Enable,
            optimizationLevel: OptimizationLevel.Debug);
        var usings = CSharpSyntaxTree.ParseText(
            SourceText.From(ImplicitUsings, Encoding.UTF8), (CSharpParseOptions)tree.Options, path: "ImplicitUsings.g.cs");
        var compilation = CSharpCompilation.Create(
            "Snippet" + Guid.NewGuid().ToString("N"), [tree, usings], References.Value, options);
        var pe = new MemoryStream();
        var pdb = new MemoryStream();
        var emitted = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        var problems = emitted.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
        if (!emitted.Success || problems.Count > 0)
        {
            throw new SnippetException($"{Name} does not compile cleanly:\n" + string.Join('\n', problems));
        }

        pe.Position = 0;
        pdb.Position = 0;
        return (pe, pdb);
    }

    /// <summary>The framework's assemblies, and the WeightedCrossEntropy package's: the library and what it
    /// references outside the framework (System.Numerics.Tensors), from the test's output.</summary>
    private static List<MetadataReference> FindReferences()
    {
        var frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkFolder, StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(Nn).Assembly]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var assembly = pending.Pop();
            if (!seen.Add(assembly.GetName().Name!) || string.Equals(Path.GetDirectoryName(assembly.Location), frameworkFolder, StringComparison.Ordinal))
            {
                continue;
            }

            paths.Add(assembly.Location);
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                pending.Push(Assembly.Load(reference));
            }
        }

        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }

    private static List<PrintsComment> FindComments(SyntaxTree tree)
    {
        var comments = new List<PrintsComment>();
        var text = tree.GetText();
        foreach (var trivia in tree.GetRoot().DescendantTrivia())
        {
            if (!trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                continue;
            }

            var comment = trivia.ToString();
            int at = comment.IndexOf(PrintsPrefix, StringComparison.Ordinal);
            if (at != 0)
            {
                continue;
            }

            var statement = trivia.Token.Parent?.FirstAncestorOrSelf<StatementSyntax>()
                ?? throw new SnippetException($"line {text.Lines.GetLineFromPosition(trivia.SpanStart).LineNumber + 1}: a '// prints' comment that ends no statement");
            var span = statement.GetLocation().GetLineSpan();
            comments.Add(new PrintsComment(
                span.StartLinePosition.Line + 1,
                span.EndLinePosition.Line + 1,
                text.Lines.GetLineFromPosition(trivia.SpanStart).LineNumber + 1,
                comment[PrintsPrefix.Length..].TrimEnd()));
        }

        return comments;
    }

    /// <summary>A console writer that notes, for every piece of text, the snippet's line that wrote it.</summary>
    private sealed class LineRecorder(Assembly snippet) : TextWriter
    {
        private readonly List<(int Line, string Text)> pieces = [];

        public override Encoding Encoding => Encoding.UTF8;

        public string All => string.Concat(pieces.Select(p => p.Text));

        public override void Write(char value) => Record(value.ToString());

        public override void Write(string? value) => Record(value ?? string.Empty);

        public override void Write(char[] buffer, int index, int count) => Record(new string(buffer, index, count));

        /// <summary>Everything the statement on lines <paramref name="first"/> to <paramref name="last"/> printed,
        /// without the final line break.</summary>
        public string PrintedBy(int first, int last)
        {
            var text = string.Concat(pieces.Where(p => p.Line >= first && p.Line <= last).Select(p => p.Text));
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
            return text.EndsWith('\n') ? text[..^1] : text;
        }

        private void Record(string text)
        {
            int line = 0;
            foreach (var frame in new StackTrace(fNeedFileInfo: true).GetFrames())
            {
                if (frame.GetMethod()?.Module.Assembly == snippet)
                {
                    line = frame.GetFileLineNumber();
                    break;
                }
            }

            pieces.Add((line, text));
        }
    }
}

/// <summary>A documentation snippet that does not compile, throws, or prints something else than it says.</summary>
public sealed class SnippetException : Exception
{
    public SnippetException()
    {
    }

    public SnippetException(string message)
        : base(message)
    {
    }

    public SnippetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
