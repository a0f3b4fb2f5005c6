using System.Globalization;
using WeightedCrossEntropy.Cli.Io;

namespace WeightedCrossEntropy.Cli.Data;

/// <summary>
/// Reads a training CSV in one of two layouts:
/// <list type="bullet">
/// <item>a header row of column names, then one row per sample;</item>
/// <item>scikit-learn's bundled-data layout (the files in <c>shared/datasets/</c>): a first line
/// <c>n_samples,n_features,class names...</c>, then one row per sample; integer labels 0..K−1 are named by the
/// header's class names.</item>
/// </list>
/// Columns empty in every row are ignored. The label column defaults to the last one; a first column that is not
/// numeric is an identifier and is ignored; every other column is a numeric feature (finite numbers only).
/// A label column that looks continuous rather than like classes (a number with a fraction, or more than half the
/// rows distinct with more than two values) is refused, naming a column that looks like a label where there is one.
/// With two classes the second in order is positive unless a positive class is named; with more, a named positive
/// class is trained against all the others (one output), and otherwise each class gets an output (one-vs-rest).
/// Class names are shown with control and format characters escaped (<c>\x1b</c>, <c>\u202e</c>), as error messages
/// show file text.
/// </summary>
internal static class DatasetReader
{
    public static Dataset Read(string path, string? labelColumn, string? positiveClass = null)
    {
        var rows = CsvTable.Read(path);
        if (rows.Count == 0)
        {
            throw new UserErrorException(path, "the file is empty");
        }

        var first = rows[0];
        CheckSeparator(path, first);
        string[]? headerClassNames = null;
        string[]? columnNames = null;
        if (IsScikitLearnHeader(first.Fields))
        {
            int declared = int.Parse(first.Fields[0], CultureInfo.InvariantCulture);
            headerClassNames = first.Fields.Skip(2).Where(f => f.Length > 0).ToArray();
            rows.RemoveAt(0);
            if (rows.Count != declared)
            {
                throw new UserErrorException(
                    path, $"the header (line {first.Line}) says {declared} samples, the file has {rows.Count} data rows");
            }
        }
        else if (first.Fields.Any(f => !Numbers.TryParse(f, out _)))
        {
            columnNames = first.Fields;
            rows.RemoveAt(0);
        }

        if (rows.Count == 0)
        {
            throw new UserErrorException(path, "no data rows");
        }

        int width = rows[0].Fields.Length;
        foreach (var row in rows)
        {
            if (row.Fields.Length != width)
            {
                throw new UserErrorException(path, $"line {row.Line} has {row.Fields.Length} fields, line {rows[0].Line} has {width}");
            }
        }

        if (columnNames is not null && columnNames.Length != width)
        {
            throw new UserErrorException(path, $"the header (line {first.Line}) names {columnNames.Length} columns, the data rows have {width}");
        }

        var used = Enumerable.Range(0, width).Where(c => rows.Any(r => r.Fields[c].Length > 0)).ToList();
        string ColumnName(int c) => columnNames is not null && columnNames[c].Length > 0
            ? Quoted.Text(columnNames[c])
            : $"column {c + 1}";

        int label = FindLabelColumn(path, labelColumn, columnNames, width, used);
        CheckLabelsLookLikeClasses(path, rows, label, used, columnNames);
        used.Remove(label);
        if (used.Count > 0 && rows.Any(r => !Numbers.TryParse(r.Fields[used[0]], out _)) && used[0] == 0)
        {
            used.RemoveAt(0); // an identifier
        }

        if (used.Count == 0)
        {
            throw new UserErrorException(path, "no feature columns besides the label column");
        }

        var features = new double[rows.Count * used.Count];
        var labels = new string[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            for (int j = 0; j < used.Count; j++)
            {
                var cell = row.Fields[used[j]];
                if (!Numbers.TryParse(cell, out features[(i * used.Count) + j]))
                {
                    throw new UserErrorException(
                        path, $"non-numeric cell {Quoted.Text(cell)} at line {row.Line}, column {used[j] + 1} (feature {ColumnName(used[j])})");
                }

                if (!double.IsFinite(features[(i * used.Count) + j]))
                {
                    throw new UserErrorException(
                        path, $"non-finite value {Quoted.Text(cell)} at line {row.Line}, column {used[j] + 1} (feature {ColumnName(used[j])}); features must be finite numbers: fill in or drop the row");
                }
            }

            labels[i] = row.Fields[label];
            if (labels[i].Length == 0)
            {
                throw new UserErrorException(path, $"empty label at line {row.Line}, column {label + 1}");
            }
        }

        var featureNames = used.Select(c => columnNames is not null && columnNames[c].Length > 0 ? columnNames[c] : $"column {c + 1}").ToArray();
        string labelDescription = columnNames is not null && columnNames[label].Length > 0
            ? $"{Quoted.Text(columnNames[label])} (column {label + 1})"
            : $"column {label + 1}";
        return Build(Path.GetFileName(path), path, featureNames, features, labels, headerClassNames, labelDescription, positiveClass);
    }

    private static Dataset Build(
        string name, string path, string[] featureNames, double[] features, string[] labels, string[]? headerClassNames,
        string labelColumnName, string? positiveClass)
    {
        // Class names come from the file and reach the terminal in tables and plots: control and format characters
        // (escape sequences, bidirectional overrides) are shown escaped, as in error messages.
        var classes = OrderClasses(labels.Distinct(StringComparer.Ordinal).ToList(), headerClassNames)
            .Select(c => (c.Value, Display: Quoted.Line(c.Display)))
            .ToList();
        if (classes.Count < 2)
        {
            throw new UserErrorException(
                path, $"{labelColumnName}, the label column, has a single value {Quoted.Text(classes[0].Value)}; it needs two classes or more");
        }

        var index = classes.Select((c, i) => (c.Value, i)).ToDictionary(p => p.Value, p => p.i, StringComparer.Ordinal);
        var strata = labels.Select(l => index[l]).ToArray();
        var stratumNames = classes.Select(c => c.Display).ToArray();
        int n = labels.Length;
        if (classes.Count == 2 || positiveClass is not null)
        {
            // One sigmoid output: for the named class, else for the second class in order (scikit-learn's rule:
            // classes sorted, the second is positive).
            int positive = positiveClass is null ? 1 : FindClass(path, positiveClass, classes, labelColumnName);
            var targets = strata.Select(s => s == positive ? 1.0 : 0.0).ToArray();
            var others = classes.Where((_, i) => i != positive).Select(c => c.Display).ToList();
            string negative = others.Count == 1 ? others[0] : $"the other {others.Count} classes";
            return new Dataset(name, featureNames, [classes[positive].Display], features, targets, strata)
            {
                Kind = $"binary: one sigmoid output, positive class {classes[positive].Display}, negative {negative}",
                Source = path,
                StratumNames = stratumNames,
            };
        }

        var oneHot = new double[n * classes.Count];
        for (int i = 0; i < n; i++)
        {
            oneHot[(i * classes.Count) + strata[i]] = 1;
        }

        return new Dataset(name, featureNames, classes.Select(c => c.Display).ToArray(), features, oneHot, strata)
        {
            Kind = $"{classes.Count} classes, one-vs-rest: one sigmoid output per class",
            Source = path,
            StratumNames = stratumNames,
        };
    }

    /// <summary>The class named by <c>--positive-class</c>: by its name as shown, or its value in the file; exact
    /// first, then ignoring case where that picks one class.</summary>
    private static int FindClass(string path, string name, List<(string Value, string Display)> classes, string labelColumnName)
    {
        foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            var matches = Enumerable.Range(0, classes.Count)
                .Where(i => string.Equals(classes[i].Display, name, comparison) || string.Equals(classes[i].Value, name, comparison))
                .ToList();
            if (matches.Count == 1)
            {
                return matches[0];
            }
        }

        throw new UserErrorException(
            "--positive-class",
            $"no class {Quoted.Text(name)} in {labelColumnName}, the label column of {path} (classes: {string.Join(", ", classes.Select(c => c.Display))})");
    }

    /// <summary>A file whose first line is one field holding semicolons or tabs is separated by them, not by
    /// commas: say so rather than find no feature columns.</summary>
    private static void CheckSeparator(string path, CsvRow first)
    {
        if (first.Fields.Length != 1)
        {
            return;
        }

        foreach (var (separator, name) in new[] { (';', "semicolon"), ('\t', "tab") })
        {
            int count = first.Fields[0].Count(ch => ch == separator);
            if (count > 0)
            {
                throw new UserErrorException(path, string.Create(
                    CultureInfo.InvariantCulture,
                    $"line {first.Line} has no comma but {count} {name}{(count == 1 ? string.Empty : "s")}: the file looks {name}-separated; " +
                    $"wce reads comma-separated values: replace each {name} with a comma{(separator == ';' ? " (and decimal commas with points)" : string.Empty)}"));
            }
        }
    }

    /// <summary>Refuses a label column that looks continuous (a feature, an identifier) rather than like classes,
    /// and names a column that looks like a label where there is one.</summary>
    private static void CheckLabelsLookLikeClasses(
        string path, List<CsvRow> rows, int label, List<int> used, string[]? columnNames)
    {
        if (LooksLikeClasses(rows, label, out string why))
        {
            return;
        }

        string hint = string.Empty;
        var candidate = used
            .Where(c => c != label && LooksLikeClasses(rows, c, out _) && DistinctValues(rows, c).Count >= 2)
            .OrderBy(c => rows.All(r => Numbers.TryParse(r.Fields[c], out _)) ? 1 : 0) // names before numbers
            .ThenBy(c => DistinctValues(rows, c).Count)
            .ThenBy(c => c)
            .Cast<int?>()
            .FirstOrDefault();
        if (candidate is int c)
        {
            string option = columnNames is not null && columnNames[c].Length > 0 && !columnNames[c].Contains(' ', StringComparison.Ordinal)
                ? columnNames[c]
                : (c + 1).ToString(CultureInfo.InvariantCulture);
            hint = $"; {Described(c)} has {DistinctValues(rows, c).Count} values and may be the label: --label-column {option}";
        }

        string Described(int c) => columnNames is not null && columnNames[c].Length > 0 ? $"'{columnNames[c]}' (column {c + 1})" : $"column {c + 1}";
        throw new UserErrorException(path, string.Create(
            CultureInfo.InvariantCulture,
            $"{Described(label)}, the label column, looks continuous, not like classes: {why}; choose the label column with --label-column NAME|INDEX (1 = first, -1 = last){hint}"));
    }

    /// <summary>Class labels are names or whole numbers, with two values, or with at most half the rows distinct.</summary>
    private static bool LooksLikeClasses(List<CsvRow> rows, int column, out string why)
    {
        var values = DistinctValues(rows, column);
        foreach (var value in values)
        {
            if (Numbers.TryParse(value, out double number) && !(double.IsFinite(number) && number == System.Math.Floor(number)))
            {
                why = string.Create(CultureInfo.InvariantCulture, $"it holds numbers with a fraction such as {value} ({values.Count} distinct values in {rows.Count} rows)");
                return false;
            }
        }

        if (values.Count > 2 && values.Count > rows.Count / 2)
        {
            why = string.Create(CultureInfo.InvariantCulture, $"{values.Count} distinct values in {rows.Count} rows, more than half of them; a class needs several rows");
            return false;
        }

        why = string.Empty;
        return true;
    }

    private static HashSet<string> DistinctValues(List<CsvRow> rows, int column) =>
        rows.Select(r => r.Fields[column]).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);

    /// <summary>Classes in a stable order: numeric labels by value, names in the header's order where it lists
    /// them, otherwise ordinally. Integer labels 0..K−1 take the header's K class names for display.</summary>
    private static List<(string Value, string Display)> OrderClasses(List<string> values, string[]? headerClassNames)
    {
        if (values.All(v => Numbers.TryParse(v, out _)))
        {
            var numeric = values.OrderBy(v => Parse(v)).ToList();
            bool named = headerClassNames is not null
                && numeric.All(v => Parse(v) is var d && d == System.Math.Floor(d) && d >= 0 && d < headerClassNames.Length);
            return numeric.Select(v => (v, named ? headerClassNames![(int)Parse(v)] : v)).ToList();
        }

        if (headerClassNames is not null && values.All(v => headerClassNames.Contains(v, StringComparer.Ordinal)))
        {
            // A name the header lists twice is one class, where it first appears.
            return headerClassNames.Where(values.Contains).Distinct(StringComparer.Ordinal).Select(v => (v, v)).ToList();
        }

        return values.Order(StringComparer.Ordinal).Select(v => (v, v)).ToList();

        static double Parse(string v) => Numbers.TryParse(v, out var d) ? d : double.NaN;
    }

    private static int FindLabelColumn(string path, string? requested, string[]? columnNames, int width, List<int> used)
    {
        if (requested is null)
        {
            return used.Count > 0 ? used[^1] : throw new UserErrorException(path, "every column is empty");
        }

        if (columnNames is not null)
        {
            int byName = Array.IndexOf(columnNames, requested);
            if (byName >= 0)
            {
                return byName;
            }
        }

        if (int.TryParse(requested, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number) && number != 0)
        {
            int column = number > 0 ? number - 1 : width + number;
            if (column >= 0 && column < width)
            {
                if (!used.Contains(column))
                {
                    throw new UserErrorException(path, $"label column {requested} is empty in every row");
                }

                return column;
            }

            throw new UserErrorException(
                path, $"no label column {requested}: the file has {width} columns (numbered 1 to {width}, or -1 for the last)");
        }

        var names = columnNames is null
            ? "the file has no header of column names; give a column number (1 = first, -1 = last)"
            : "columns: " + Quoted.Line(Truncate(string.Join(", ", columnNames.Where(c => c.Length > 0)), 200));
        throw new UserErrorException(path, $"no label column named {Quoted.Text(requested)} ({names})");
    }

    /// <summary>scikit-learn's layout: two non-negative integers (samples, features), then class names.</summary>
    private static bool IsScikitLearnHeader(string[] fields) =>
        fields.Length >= 3
        && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
        && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
        && fields.Skip(2).Any(f => f.Length > 0)
        && fields.Skip(2).All(f => f.Length == 0 || !Numbers.TryParse(f, out _));

    private static string Truncate(string text, int maxLength) =>
        text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "...");
}
