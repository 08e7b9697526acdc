using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Turumba.Contacts.Groups;
using Turumba.Contacts.Groups.Members;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Contacts.Import;

/// <summary>
/// Upserts contacts in one transaction: a row whose phone (else email) matches an existing
/// contact updates it, otherwise creates one. Rows that fail validation are reported, the rest land.
/// </summary>
internal sealed class ContactImporter(TurumbaDbContext db, GroupMembership membership)
{
    public const int MaxRows = 10_000;
    private static readonly ImportRowValidator Validator = new();

    public async Task<ImportResponse> ImportAsync(
        Guid accountId, IReadOnlyList<ImportRow> rows, IReadOnlyCollection<Guid> groupIds, CancellationToken cancellationToken)
    {
        if (rows.Count == 0 || rows.Count > MaxRows)
        {
            throw new BadRequestException($"An import takes 1 to {MaxRows} contacts; got {rows.Count}.");
        }

        await RequireGroupsAsync(groupIds, cancellationToken);
        var errors = new List<ImportRowError>();
        var valid = new List<(int Row, ImportRow Data)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var result = Validator.Validate(rows[i]);
            if (result.IsValid)
            {
                valid.Add((i + 1, rows[i] with
                {
                    Phone = ContactAddressing.Phone(rows[i].Phone),
                    Email = rows[i].Email?.Trim().ToLowerInvariant(),
                    Addresses = ContactAddressing.Addresses(rows[i].Addresses),
                }));
            }
            else
            {
                errors.AddRange(result.Errors.Select(e => new ImportRowError(i + 1, JsonNamingPolicy.SnakeCaseLower.ConvertName(e.PropertyName), e.ErrorMessage)));
            }
        }

        var (byPhone, byEmail) = await LoadExistingAsync(valid.Select(v => v.Data).ToList(), cancellationToken);
        var created = new HashSet<Guid>();
        var updated = new HashSet<Guid>();
        var contactIds = new List<Guid>();
        foreach (var (row, data) in valid)
        {
            var phoneMatch = data.Phone is null ? null : byPhone.GetValueOrDefault(data.Phone);
            var emailMatch = data.Email is null ? null : byEmail.GetValueOrDefault(data.Email);
            if (phoneMatch is not null && emailMatch is not null && phoneMatch != emailMatch)
            {
                errors.Add(new ImportRowError(row, "email", "The phone and the email belong to two different existing contacts."));
                continue;
            }

            var contact = phoneMatch ?? emailMatch;
            if (contact is null)
            {
                contact = new Contact { AccountId = accountId };
                db.Add(contact);
                created.Add(contact.Id);
            }
            else if (!created.Contains(contact.Id))
            {
                updated.Add(contact.Id);
            }

            Apply(contact, data);
            if (contact.Phone is not null)
            {
                byPhone[contact.Phone] = contact;
            }

            if (contact.Email is not null)
            {
                byEmail[contact.Email] = contact;
            }

            contactIds.Add(contact.Id);
        }

        var addedToGroups = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            foreach (var groupId in groupIds.Distinct())
            {
                addedToGroups += (await membership.AddAsync(accountId, groupId, contactIds, cancellationToken)).Changed;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return new ImportResponse(created.Count, updated.Count, errors.Select(e => e.Row).Distinct().Count(),
            errors.OrderBy(e => e.Row).ToList(), contactIds.Distinct().ToList(), addedToGroups);
    }

    private async Task RequireGroupsAsync(IReadOnlyCollection<Guid> groupIds, CancellationToken cancellationToken)
    {
        if (groupIds.Count == 0)
        {
            return;
        }

        var found = await db.Set<ContactGroup>().Where(g => groupIds.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken);
        var missing = groupIds.Except(found).ToList();
        if (missing.Count > 0)
        {
            throw RequestValidationException.For("group_ids", $"No contact group with id {string.Join(", ", missing)}.");
        }
    }

    private async Task<(Dictionary<string, Contact> ByPhone, Dictionary<string, Contact> ByEmail)> LoadExistingAsync(
        List<ImportRow> rows, CancellationToken cancellationToken)
    {
        var phones = rows.Where(r => r.Phone is not null).Select(r => r.Phone!).Distinct().ToList();
        var emails = rows.Where(r => r.Email is not null).Select(r => r.Email!).Distinct().ToList();
        var existing = await db.Set<Contact>()
            .Where(c => (c.Phone != null && phones.Contains(c.Phone)) || (c.Email != null && emails.Contains(c.Email)))
            .ToListAsync(cancellationToken);
        return (
            existing.Where(c => c.Phone is not null).ToDictionary(c => c.Phone!, StringComparer.Ordinal),
            existing.Where(c => c.Email is not null).ToDictionary(c => c.Email!, StringComparer.Ordinal));
    }

    private static void Apply(Contact contact, ImportRow row)
    {
        contact.FirstName = row.FirstName ?? contact.FirstName;
        contact.LastName = row.LastName ?? contact.LastName;
        contact.Phone = row.Phone ?? contact.Phone;
        contact.Email = row.Email ?? contact.Email;
        contact.PreferredChannel = row.PreferredChannel ?? contact.PreferredChannel;
        if (row.Addresses is not null)
        {
            contact.Addresses = new Dictionary<string, string>(contact.Addresses.Concat(row.Addresses).GroupBy(p => p.Key).Select(g => g.Last()));
        }

        if (row.Attributes is not null)
        {
            contact.Attributes = new Dictionary<string, string>(contact.Attributes.Concat(row.Attributes).GroupBy(p => p.Key).Select(g => g.Last()));
        }
    }
}
