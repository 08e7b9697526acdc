using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Contacts.Contacts;
using Turumba.Contacts.Contacts.Create;
using Turumba.Contacts.Contacts.Delete;
using Turumba.Contacts.Contacts.Get;
using Turumba.Contacts.Contacts.List;
using Turumba.Contacts.Contacts.Update;
using Turumba.Platform.Api;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;

namespace Turumba.Contacts;

/// <summary>Contacts: the people messages go to, and the directory group sends page through.</summary>
public sealed class ContactsModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles) =>
        services.AddValidatorsFromAssemblyContaining<ContactsModule>(includeInternalTypes: true);

    public void ConfigureModel(ModelBuilder modelBuilder) => ContactsModel.Configure(modelBuilder);

    public void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
        if (!roles.Has(HostRole.Api))
        {
            return;
        }

        var contacts = endpoints.MapApiGroup("contacts");
        contacts.MapPost("/", CreateContactEndpoint.HandleAsync).Validate<CreateContactRequest>().WithName("CreateContact");
        contacts.MapGet("/", ListContactsEndpoint.HandleAsync).WithName("ListContacts");
        contacts.MapGet("/{id:guid}", GetContactEndpoint.HandleAsync).WithName("GetContact");
        contacts.MapPatch("/{id:guid}", UpdateContactEndpoint.HandleAsync).Validate<UpdateContactRequest>().WithName("UpdateContact");
        contacts.MapDelete("/{id:guid}", DeleteContactEndpoint.HandleAsync).WithName("DeleteContact");
    }
}
