-- Walks the 100 pages of 1,000 with the directory's query, without (old) and with (new) the suppression probe.
create or replace function pg_temp.walk(with_probe boolean) returns table(ms double precision, kept bigint) language plpgsql as $$
declare
  cursor_id uuid := '00000000-0000-0000-0000-000000000000';
  started timestamptz := clock_timestamp();
  n int; last uuid; total bigint := 0; flagged bigint;
begin
  loop
    if with_probe then
      execute format($q$select count(*), (array_agg(contact_id order by contact_id desc))[1], count(*) filter (where suppressed) + 0 * count(first_name) from (
        with scanned as (
          select distinct x.contact_id from unnest(array['00000000-0000-7000-8000-0000000000aa'::uuid]) as g(id)
           cross join lateral (select m.contact_id from contacts.contact_group_members m where m.group_id = g.id and m.contact_id > %L::uuid order by m.contact_id limit 1000) x
           order by x.contact_id limit 1000)
        select s.contact_id, c.id, c.first_name, c.last_name, c.phone, c.email, c.addresses, c.attributes, c.preferred_channel,
               'telegram'::text is not null and exists (
                   select 1 from contacts.suppressions x
                    where x.account_id = '00000000-0000-7000-8000-000000000001' and x.channel_type in ('telegram', 'all')
                      and x.address = coalesce(c.addresses ->> 'telegram',
                                               case when 'telegram' in ('sms', 'smpp', 'whatsapp') then c.phone when 'telegram' = 'email' then c.email end)) as suppressed
          from scanned s left join contacts.contacts c on c.id = s.contact_id and c.account_id = '00000000-0000-7000-8000-000000000001' and not (c.id = any('{}'::uuid[]))
         order by s.contact_id) page$q$, cursor_id) into n, last, flagged;
      total := total + flagged;
    else
      execute format($q$select count(*), (array_agg(contact_id order by contact_id desc))[1], count(first_name) from (
        with scanned as (
          select distinct x.contact_id from unnest(array['00000000-0000-7000-8000-0000000000aa'::uuid]) as g(id)
           cross join lateral (select m.contact_id from contacts.contact_group_members m where m.group_id = g.id and m.contact_id > %L::uuid order by m.contact_id limit 1000) x
           order by x.contact_id limit 1000)
        select s.contact_id, c.id, c.first_name, c.last_name, c.phone, c.email, c.addresses, c.attributes, c.preferred_channel
          from scanned s left join contacts.contacts c on c.id = s.contact_id and c.account_id = '00000000-0000-7000-8000-000000000001' and not (c.id = any('{}'::uuid[]))
         order by s.contact_id) page$q$, cursor_id) into n, last, flagged;
    end if;
    exit when n < 1000;
    cursor_id := last;
  end loop;
  return query select (extract(epoch from clock_timestamp() - started) * 1000)::double precision, total;
end $$;
select 'old' v, * from pg_temp.walk(false) union all select 'new', * from pg_temp.walk(true)
union all select 'old', * from pg_temp.walk(false) union all select 'new', * from pg_temp.walk(true)
union all select 'old', * from pg_temp.walk(false) union all select 'new', * from pg_temp.walk(true)
union all select 'old', * from pg_temp.walk(false) union all select 'new', * from pg_temp.walk(true)
union all select 'old', * from pg_temp.walk(false) union all select 'new', * from pg_temp.walk(true);
