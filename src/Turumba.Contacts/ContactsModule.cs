using System.Text.Json.Nodes;
using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Contacts.Contacts;
using Turumba.Contacts.Contacts.Create;
using Turumba.Contacts.Contacts.Delete;
using Turumba.Contacts.Contacts.Get;
using Turumba.Contacts.Contacts.List;
using Turumba.Contacts.Contacts.Import;
using Turumba.Contacts.Contacts.Update;
using Turumba.Contacts.Directory;
using Turumba.Contacts.Groups;
using Turumba.Contacts.Groups.Create;
using Turumba.Contacts.Groups.Delete;
using Turumba.Contacts.Groups.Get;
using Turumba.Contacts.Groups.List;
using Turumba.Contacts.Groups.Members;
using Turumba.Contacts.Groups.Update;
using Turumba.Contacts.Suppressions;
using Turumba.Contacts.Suppressions.Add;
using Turumba.Contacts.Suppressions.Delete;
using Turumba.Contacts.Suppressions.Get;
using Turumba.Contacts.Suppressions.List;
using Turumba.Contacts.Suppressions.Signals;
using Turumba.Platform.Api;
using Turumba.Platform.Api.OpenApi;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;

namespace Turumba.Contacts;

/// <summary>Contacts: the people messages go to, the directory group sends page through, and the addresses not to message.</summary>
public sealed class ContactsModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddValidatorsFromAssemblyContaining<ContactsModule>(includeInternalTypes: true);
        services.AddScoped<GroupMembership>();
        services.AddScoped<ContactImporter>();
        services.AddSingleton<SuppressionWriter>();
        services.AddSingleton<ISuppressionList, LocalSuppressionList>();
        services.AddContactDirectory(configuration);
    }

    public void ConfigureModel(ModelBuilder modelBuilder)
    {
        ContactsModel.Configure(modelBuilder);
        ContactGroupsModel.Configure(modelBuilder);
        SuppressionsModel.Configure(modelBuilder);
    }

    public void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles)
    {
        // Suppression signals are about what recipients answered, as replies are (messaging's webhook.inbound).
        if (roles.Has(HostRole.Inbound))
        {
            bus.AddConsumer<RecipientSuppressedConsumer, RecipientSuppressedConsumerDefinition>();
            bus.AddConsumer<OptOutKeywordConsumer, OptOutKeywordConsumerDefinition>();
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
        if (!roles.Has(HostRole.Api))
        {
            return;
        }

        var contacts = endpoints.MapApiGroup("contacts");
        contacts.MapPost("/", CreateContactEndpoint.HandleAsync).Validate<CreateContactRequest>().Idempotent().WithName("CreateContact")
            .WithSummary("Create a contact")
            .WithDescription("A person to send to: phone (E.164) and email, plus addresses per channel type (for example a Telegram chat id) and free custom fields for templates.")
            .ProducesData<ContactResponse>(StatusCodes.Status201Created)
            .WithRequestExample("""{"first_name":"Abebe","phone":"+251911234567","addresses":{"telegram":"5551234"}}""");
        contacts.MapGet("/", ListContactsEndpoint.HandleAsync).WithName("ListContacts")
            .WithSummary("List contacts")
            .WithDescription("The account's contacts.")
            .ProducesList<ContactResponse>(ListContactsEndpoint.Definition.Describe());
        contacts.MapGet("/{id:guid}", GetContactEndpoint.HandleAsync).WithName("GetContact")
            .WithSummary("Get a contact")
            .WithDescription("One contact with its addresses and custom fields.")
            .ProducesData<ContactResponse>();
        contacts.MapPatch("/{id:guid}", UpdateContactEndpoint.HandleAsync).Validate<UpdateContactRequest>().WithName("UpdateContact")
            .WithSummary("Update a contact")
            .WithDescription("Changes the given fields; omitted fields stay.")
            .ProducesData<ContactResponse>();
        contacts.MapDelete("/{id:guid}", DeleteContactEndpoint.HandleAsync).WithName("DeleteContact")
            .WithSummary("Delete a contact")
            .WithDescription("Removes the contact and its group memberships; its messages stay.")
            .ProducesDeleted();
        contacts.MapPost("/import", ImportContactsEndpoint.HandleAsync).WithName("ImportContacts")
            .WithSummary("Import contacts")
            .WithDescription("Creates or updates contacts in bulk. The body is a JSON array of contacts, a JSON object with contacts and group_ids, or text/csv with a header row (group ids then in ?group_ids=a,b). Rows that fail are reported by row; the others are imported. Another content type is a 415.")
            .Accepts<JsonObject>("application/json", "text/csv")
            .ProducesData<ImportResponse>()
            .ProducesError(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type: the body is neither JSON nor text/csv.")
            .WithMetadata(new RequestSizeLimitAttribute(ImportContactsEndpoint.MaxBodyBytes));

        var groups = endpoints.MapApiGroup("contact-groups");
        groups.MapPost("/", CreateContactGroupEndpoint.HandleAsync).Validate<CreateContactGroupRequest>().WithName("CreateContactGroup")
            .WithSummary("Create a contact group")
            .WithDescription("A named set of contacts to send to with a group message.")
            .ProducesData<ContactGroupResponse>(StatusCodes.Status201Created)
            .WithRequestExample("""{"name":"Customers"}""");
        groups.MapGet("/", ListContactGroupsEndpoint.HandleAsync).WithName("ListContactGroups")
            .WithSummary("List contact groups")
            .WithDescription("The account's contact groups with their member counts.")
            .ProducesList<ContactGroupResponse>(ListContactGroupsEndpoint.Definition.Describe());
        groups.MapGet("/{id:guid}", GetContactGroupEndpoint.HandleAsync).WithName("GetContactGroup")
            .WithSummary("Get a contact group")
            .WithDescription("One contact group with its member count.")
            .ProducesData<ContactGroupResponse>();
        groups.MapPatch("/{id:guid}", UpdateContactGroupEndpoint.HandleAsync).Validate<UpdateContactGroupRequest>().WithName("UpdateContactGroup")
            .WithSummary("Update a contact group")
            .WithDescription("Changes the given fields; omitted fields stay.")
            .ProducesData<ContactGroupResponse>();
        groups.MapDelete("/{id:guid}", DeleteContactGroupEndpoint.HandleAsync).WithName("DeleteContactGroup")
            .WithSummary("Delete a contact group")
            .WithDescription("Removes the group and its memberships; the contacts stay.")
            .ProducesDeleted();
        groups.MapGet("/{id:guid}/members", MembersEndpoints.ListAsync).WithName("ListContactGroupMembers")
            .WithSummary("List a group's members")
            .WithDescription("The group's contacts, paged with skip and limit only (filter and sort are a 400; filter contacts at /v1/contacts).")
            .ProducesList<ContactResponse>(ListQueryFields.PagingOnly);
        groups.MapPost("/{id:guid}/members", MembersEndpoints.AddAsync).Validate<MembersRequest>().WithName("AddContactGroupMembers")
            .WithSummary("Add members to a group")
            .WithDescription("Adds the contacts; ones already members are left as they are, unknown ids are listed in not_found.")
            .ProducesData<MembersChangedResponse>()
            .WithRequestExample("""{"contact_ids":["8d2e4b61-5c3a-4f7e-a1b2-6e9f0d3c4b22"]}""");
        groups.MapDelete("/{id:guid}/members", MembersEndpoints.RemoveAsync).Validate<MembersRequest>().WithName("RemoveContactGroupMembers")
            .WithSummary("Remove members from a group")
            .WithDescription("Removes the contacts given in the body from the group; the contacts themselves stay.")
            .ProducesData<MembersChangedResponse>();

        var suppressions = endpoints.MapApiGroup("suppressions");
        suppressions.MapPost("/", AddSuppressionEndpoint.HandleAsync).Validate<AddSuppressionRequest>().Idempotent().WithName("AddSuppression")
            .WithSummary("Suppress an address")
            .WithDescription("Nothing is sent to a suppressed address. 201 when it is new, 200 when it was already suppressed.")
            .ProducesData<SuppressionResponse>(StatusCodes.Status201Created)
            .ProducesData<SuppressionResponse>();
        suppressions.MapGet("/", ListSuppressionsEndpoint.HandleAsync).WithName("ListSuppressions")
            .WithSummary("List suppressions")
            .WithDescription("The account's suppressed addresses, including those suppressed by opt-out replies.")
            .ProducesList<SuppressionResponse>(ListSuppressionsEndpoint.Definition.Describe());
        suppressions.MapGet("/{id:guid}", GetSuppressionEndpoint.HandleAsync).WithName("GetSuppression")
            .WithSummary("Get a suppression")
            .WithDescription("One suppressed address and why it was suppressed.")
            .ProducesData<SuppressionResponse>();
        suppressions.MapDelete("/{id:guid}", DeleteSuppressionEndpoint.HandleAsync).WithName("DeleteSuppression")
            .WithSummary("Lift a suppression")
            .WithDescription("Sends to the address are allowed again.")
            .ProducesDeleted();
    }
}
