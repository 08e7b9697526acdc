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
        contacts.MapPost("/", CreateContactEndpoint.HandleAsync).Validate<CreateContactRequest>().Idempotent().WithName("CreateContact");
        contacts.MapGet("/", ListContactsEndpoint.HandleAsync).WithName("ListContacts");
        contacts.MapGet("/{id:guid}", GetContactEndpoint.HandleAsync).WithName("GetContact");
        contacts.MapPatch("/{id:guid}", UpdateContactEndpoint.HandleAsync).Validate<UpdateContactRequest>().WithName("UpdateContact");
        contacts.MapDelete("/{id:guid}", DeleteContactEndpoint.HandleAsync).WithName("DeleteContact");
        contacts.MapPost("/import", ImportContactsEndpoint.HandleAsync).WithName("ImportContacts")
            .WithMetadata(new RequestSizeLimitAttribute(ImportContactsEndpoint.MaxBodyBytes));

        var groups = endpoints.MapApiGroup("contact-groups");
        groups.MapPost("/", CreateContactGroupEndpoint.HandleAsync).Validate<CreateContactGroupRequest>().WithName("CreateContactGroup");
        groups.MapGet("/", ListContactGroupsEndpoint.HandleAsync).WithName("ListContactGroups");
        groups.MapGet("/{id:guid}", GetContactGroupEndpoint.HandleAsync).WithName("GetContactGroup");
        groups.MapPatch("/{id:guid}", UpdateContactGroupEndpoint.HandleAsync).Validate<UpdateContactGroupRequest>().WithName("UpdateContactGroup");
        groups.MapDelete("/{id:guid}", DeleteContactGroupEndpoint.HandleAsync).WithName("DeleteContactGroup");
        groups.MapGet("/{id:guid}/members", MembersEndpoints.ListAsync).WithName("ListContactGroupMembers");
        groups.MapPost("/{id:guid}/members", MembersEndpoints.AddAsync).Validate<MembersRequest>().WithName("AddContactGroupMembers");
        groups.MapDelete("/{id:guid}/members", MembersEndpoints.RemoveAsync).Validate<MembersRequest>().WithName("RemoveContactGroupMembers");

        var suppressions = endpoints.MapApiGroup("suppressions");
        suppressions.MapPost("/", AddSuppressionEndpoint.HandleAsync).Validate<AddSuppressionRequest>().Idempotent().WithName("AddSuppression");
        suppressions.MapGet("/", ListSuppressionsEndpoint.HandleAsync).WithName("ListSuppressions");
        suppressions.MapGet("/{id:guid}", GetSuppressionEndpoint.HandleAsync).WithName("GetSuppression");
        suppressions.MapDelete("/{id:guid}", DeleteSuppressionEndpoint.HandleAsync).WithName("DeleteSuppression");
    }
}
