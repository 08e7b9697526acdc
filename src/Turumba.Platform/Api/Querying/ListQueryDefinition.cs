using System.Linq.Expressions;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Turumba.Platform.Api.Querying;

/// <summary>
/// A resource's allow-list of filterable and sortable fields, and the translation of a
/// <see cref="ListQuery"/> into an EF query. Anything outside the list is a 400, never a 500.
/// </summary>
public sealed class ListQueryDefinition<T>
{
    private static readonly MethodInfo LikeMethod = typeof(DbFunctionsExtensions).GetMethod(
        nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private static readonly MethodInfo ILikeMethod = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
        nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private readonly Dictionary<string, (LambdaExpression Selector, FilterOperators Operators)> _filters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LambdaExpression> _sorts = new(StringComparer.Ordinal);
    private readonly List<(LambdaExpression Selector, bool Descending)> _defaultSort = [];

    public ListQueryDefinition<T> Filter<TValue>(string field, Expression<Func<T, TValue>> selector, FilterOperators operators)
    {
        _filters[field] = (selector, operators);
        return this;
    }

    public ListQueryDefinition<T> Sort<TValue>(string field, Expression<Func<T, TValue>> selector)
    {
        _sorts[field] = selector;
        return this;
    }

    /// <summary>The order applied after the caller's sorts; end it with a unique key for stable paging.</summary>
    public ListQueryDefinition<T> ThenAlwaysBy<TValue>(Expression<Func<T, TValue>> selector, bool descending)
    {
        _defaultSort.Add((selector, descending));
        return this;
    }

    /// <summary>The allow-list as the API description shows it: each filter field with its value type and operators, the sort fields.</summary>
    public ListQueryFields Describe() => new(
        _filters.Select(f => new ListFilterField(f.Key, Nullable.GetUnderlyingType(f.Value.Selector.ReturnType) ?? f.Value.Selector.ReturnType, f.Value.Operators)).ToList(),
        _sorts.Keys.ToList());

    /// <summary>Filters, counts, sorts and pages <paramref name="source"/>, answering with the list envelope.</summary>
    public async Task<IResult> ListAsync<TResponse>(
        IQueryable<T> source, ListQuery query, Func<T, TResponse> toResponse, CancellationToken cancellationToken)
    {
        var filtered = ApplyFilters(source, query);
        var total = await filtered.LongCountAsync(cancellationToken);
        var page = await ApplySortAndPage(filtered, query).ToListAsync(cancellationToken);
        return ApiResults.List(page.ConvertAll(e => toResponse(e)), total, query);
    }

    public IQueryable<T> ApplyFilters(IQueryable<T> source, ListQuery query)
    {
        foreach (var clause in query.Filters)
        {
            source = source.Where(BuildPredicate(clause));
        }

        return source;
    }

    public IQueryable<T> ApplySortAndPage(IQueryable<T> source, ListQuery query)
    {
        IOrderedQueryable<T>? ordered = null;
        foreach (var sort in query.Sorts)
        {
            if (!_sorts.TryGetValue(sort.Field, out var selector))
            {
                throw new BadRequestException(
                    $"Cannot sort by '{sort.Field}'. Sortable fields: {string.Join(", ", _sorts.Keys)}.");
            }

            ordered = OrderBy(source, ordered, selector, sort.Descending);
        }

        foreach (var (selector, descending) in _defaultSort)
        {
            ordered = OrderBy(source, ordered, selector, descending);
        }

        var result = ordered ?? source;
        return result.Skip(query.Skip).Take(query.Limit);
    }

    private Expression<Func<T, bool>> BuildPredicate(FilterClause clause)
    {
        if (!_filters.TryGetValue(clause.Field, out var filter))
        {
            throw new BadRequestException(
                $"Cannot filter by '{clause.Field}'. Filterable fields: {string.Join(", ", _filters.Keys)}.");
        }

        if (!FilterOperatorNames.TryParse(clause.Operator, out var op) || !filter.Operators.HasFlag(op))
        {
            throw new BadRequestException(
                $"Operator '{clause.Operator}' is not allowed on '{clause.Field}'. Allowed: {FilterOperatorNames.Describe(filter.Operators)}.");
        }

        var parameter = filter.Selector.Parameters[0];
        var member = filter.Selector.Body;
        var body = op switch
        {
            FilterOperators.Eq => (Expression)Expression.Equal(member, Value(member.Type, clause.Field, clause.Value)),
            FilterOperators.In => InList(member, clause),
            FilterOperators.Contains => Like(LikeMethod, member, clause.Value),
            FilterOperators.IContains => Like(ILikeMethod, member, clause.Value),
            FilterOperators.Ge => Expression.GreaterThanOrEqual(member, Value(member.Type, clause.Field, clause.Value)),
            FilterOperators.Le => Expression.LessThanOrEqual(member, Value(member.Type, clause.Field, clause.Value)),
            FilterOperators.Range => Range(member, clause),
            _ => throw new BadRequestException($"Operator '{clause.Operator}' is not supported."),
        };
        return Expression.Lambda<Func<T, bool>>(body, parameter);
    }

    private static MethodCallExpression InList(Expression member, FilterClause clause)
    {
        var items = clause.Value.Split(',', StringSplitOptions.TrimEntries);
        var listType = typeof(List<>).MakeGenericType(member.Type);
        var list = (System.Collections.IList)Activator.CreateInstance(listType)!;
        foreach (var item in items)
        {
            list.Add(FilterValueParser.Parse(member.Type, clause.Field, item));
        }

        var contains = listType.GetMethod(nameof(List<>.Contains))!;
        return Expression.Call(Captured(list, listType), contains, member);
    }

    private static BinaryExpression Range(Expression member, FilterClause clause)
    {
        var bounds = clause.Value.Split(',', StringSplitOptions.TrimEntries);
        if (bounds.Length != 2)
        {
            throw new BadRequestException($"Filter range on '{clause.Field}' needs two comma-separated bounds: field:range:from,to.");
        }

        return Expression.AndAlso(
            Expression.GreaterThanOrEqual(member, Value(member.Type, clause.Field, bounds[0])),
            Expression.LessThanOrEqual(member, Value(member.Type, clause.Field, bounds[1])));
    }

    private static MethodCallExpression Like(MethodInfo method, Expression member, string text)
    {
        if (member.Type != typeof(string))
        {
            throw new InvalidOperationException("contains/icontains are only allowed on text fields.");
        }

        var escaped = text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
        var functions = Expression.Constant(EF.Functions);
        return Expression.Call(method, functions, member, Captured("%" + escaped + "%", typeof(string)), Expression.Constant(@"\"));
    }

    private static Expression Value(Type type, string field, string text) =>
        Captured(FilterValueParser.Parse(type, field, text), type);

    // A member access on a holder, not a constant, so EF sends a parameter and reuses the plan.
    private static MemberExpression Captured(object value, Type type)
    {
        var holderType = typeof(Holder<>).MakeGenericType(type);
        var holder = Activator.CreateInstance(holderType, value)!;
        return Expression.Property(Expression.Constant(holder), nameof(Holder<>.Value));
    }

    private static IOrderedQueryable<T> OrderBy(IQueryable<T> source, IOrderedQueryable<T>? ordered, LambdaExpression selector, bool descending)
    {
        var method = (ordered is null, descending) switch
        {
            (true, false) => nameof(Queryable.OrderBy),
            (true, true) => nameof(Queryable.OrderByDescending),
            (false, false) => nameof(Queryable.ThenBy),
            (false, true) => nameof(Queryable.ThenByDescending),
        };
        var target = (IQueryable<T>?)ordered ?? source;
        var call = Expression.Call(typeof(Queryable), method, [typeof(T), selector.ReturnType], target.Expression, Expression.Quote(selector));
        return (IOrderedQueryable<T>)target.Provider.CreateQuery<T>(call);
    }
}

internal sealed class Holder<TValue>(TValue value)
{
    public TValue Value { get; } = value;
}

/// <summary>One filterable field of a list: its name, the CLR type of its values and the operators it allows.</summary>
public sealed record ListFilterField(string Field, Type ValueType, FilterOperators Operators);

/// <summary>What a list endpoint lets callers filter and sort by (see <see cref="ListQueryDefinition{T}.Describe"/>).</summary>
public sealed record ListQueryFields(IReadOnlyList<ListFilterField> Filters, IReadOnlyList<string> Sorts)
{
    /// <summary>A list that pages (skip, limit) but takes no filter or sort.</summary>
    public static ListQueryFields PagingOnly { get; } = new([], []);
}
