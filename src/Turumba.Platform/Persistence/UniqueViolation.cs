using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Turumba.Platform.Persistence;

public static class UniqueViolation
{
    /// <summary>Whether saving failed on a unique index; <paramref name="constraint"/> names it.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception, out string constraint)
    {
        if (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres)
        {
            constraint = postgres.ConstraintName ?? string.Empty;
            return true;
        }

        constraint = string.Empty;
        return false;
    }
}
