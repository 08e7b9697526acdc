-- 100,000 contacts in one group (telegram addresses as the benchmark's), 1,000 of them suppressed.
\set account '''00000000-0000-7000-8000-000000000001'''
\set grp '''00000000-0000-7000-8000-0000000000aa'''
insert into contacts.contact_groups (id, account_id, name, member_count, created_at, updated_at) values (:grp, :account, 'g', 100000, now(), now()) on conflict do nothing;
insert into contacts.contacts (id, account_id, first_name, phone, addresses, attributes, created_at, updated_at)
select gen_random_uuid(), :account, 'C' || i, '+2519' || lpad(i::text, 8, '0'), jsonb_build_object('telegram', (10000000 + i)::text), '{}', now(), now()
  from generate_series(0, 99999) i;
insert into contacts.contact_group_members (group_id, contact_id, added_at)
select :grp, id, now() from contacts.contacts where account_id = :account;
insert into contacts.suppressions (id, account_id, address, channel_type, reason, source, created_at, updated_at)
select gen_random_uuid(), :account, (10000000 + i * 100)::text, 'telegram', 'manual', 'bench', now(), now() from generate_series(0, 999) i;
analyze;
