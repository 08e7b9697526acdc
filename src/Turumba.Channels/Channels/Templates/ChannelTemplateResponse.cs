using System.Text.Json;

namespace Turumba.Channels.Channels.Templates;

/// <summary>A provider template as last synced: <see cref="Status"/> as the provider says (<c>APPROVED</c>, <c>PENDING</c>, …), its components as the provider sent them.</summary>
internal sealed record ChannelTemplateResponse(string Name, string Language, string? Category, string Status, JsonElement Components, DateTimeOffset SyncedAt);
