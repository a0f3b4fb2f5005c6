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
/// numeric is an identifier and is ignored; every other column is a numeric feature.
/// </summary>
internal static class DatasetReader
{
    public static Dataset Read(string path, string? labelColumn)
    {
        var rows = CsvTable.Read(path);
        if (rows.Count == 0)
        {
            throw new UserErrorException(path, "the file is empty");
        }

        var first = rows[0];
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
            }

            labels[i] = row.Fields[label];
            if (labels[i].Length == 0)
            {
                throw new UserErrorException(path, $"empty label at line {row.Line}, column {label + 1}");
            }
        }

        var featureNames = used.Select(c => columnNames is not null && columnNames[c].Length > 0 ? columnNames[c] : $"column {c + 1}").ToArray();
        return Build(Path.GetFileName(path), path, featureNames, features, labels, headerClassNames, ColumnName(label));
    }

    private static Dataset Build(
        string name, string path, string[] featureNames, double[] features, string[] labels, string[]? headerClassNames,
        string labelColumnName)
    {
        var classes = OrderClasses(labels.Distinct(StringComparer.Ordinal).ToList(), headerClassNames);
        if (classes.Count < 2)
        {
            throw new UserErrorException(
                path, $"the label column {labelColumnName} has a single value {Quoted.Text(classes[0].Value)}; it needs two classes or more");
        }

        var index = classes.Select((c, i) => (c.Value, i)).ToDictionary(p => p.Value, p => p.i, StringComparer.Ordinal);
        var strata = labels.Select(l => index[l]).ToArray();
        int n = labels.Length;
        if (classes.Count == 2)
        {
            // One sigmoid output for the second class in order (scikit-learn's rule: classes sorted, the second is positive).
            var targets = strata.Select(s => (double)s).ToArray();
            return new Dataset(name, featureNames, [classes[1].Display], features, targets, strata)
            {
                Kind = $"binary: one sigmoid output, positive class {classes[1].Display}, negative {classes[0].Display}",
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
        };
    }

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
            return headerClassNames.Where(values.Contains).Select(v => (v, v)).ToList();
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
            : "columns: " + string.Join(", ", columnNames.Where(c => c.Length > 0));
        throw new UserErrorException(path, $"no label column named {Quoted.Text(requested)} ({names})");
    }

    /// <summary>scikit-learn's layout: two non-negative integers (samples, features), then class names.</summary>
    private static bool IsScikitLearnHeader(string[] fields) =>
        fields.Length >= 3
        && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
        && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
        && fields.Skip(2).Any(f => f.Length > 0)
        && fields.Skip(2).All(f => f.Length == 0 || !Numbers.TryParse(f, out _));
}
