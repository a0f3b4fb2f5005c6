using System.CommandLine;

namespace WeightedCrossEntropy.Cli;

/// <summary>
/// "Did you mean" for a misspelt command or option: the names of the command being parsed (its subcommands for a
/// word, its options for a word that starts with '-') closest to the first word the parser did not recognise, by
/// optimal string alignment distance (Levenshtein plus transposition of neighbours, so <c>trian</c> is one edit from
/// <c>train</c>). System.CommandLine's own suggestions are printed by its <c>ParseErrorAction</c>, which prints
/// several lines and help; <c>wce</c> reports a parse error in one line of its own, so it makes them here.
/// </summary>
internal static class Suggestions
{
    /// <summary>At most this many edits, and fewer than half the name's length.</summary>
    public const int MaxDistance = 2;

    /// <summary>Text to append to the parse error, such as <c>; did you mean 'train'?</c>, or empty.</summary>
    public static string For(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var command = parsed.CommandResult.Command;
        foreach (var token in parsed.UnmatchedTokens)
        {
            var names = token.StartsWith('-')
                ? command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
            var closest = Closest(token, names);
            if (closest.Count > 0)
            {
                return "; did you mean " + string.Join(" or ", closest.Select(n => $"'{n}'")) + "?";
            }
        }

        return string.Empty;
    }

    /// <summary>The names nearest to <paramref name="word"/> within <see cref="MaxDistance"/> edits and fewer than
    /// half their length, in the order given.</summary>
    public static List<string> Closest(string word, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(names);
        var scored = names.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Distance: Distance(word, name)))
            .Where(p => p.Distance > 0 && p.Distance <= MaxDistance && 2 * p.Distance < p.Name.TrimStart('-').Length)
            .ToList();
        if (scored.Count == 0)
        {
            return [];
        }

        int best = scored.Min(p => p.Distance);
        return scored.Where(p => p.Distance == best).Select(p => p.Name).ToList();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
    /// neighbouring characters, each one edit (ordinal, case-sensitive).</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = System.Math.Min(System.Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = System.Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
