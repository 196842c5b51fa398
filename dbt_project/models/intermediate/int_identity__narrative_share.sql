-- A share the narrative states (财政拨款收入…，占比100.00%) equals the part over the total it
-- divides (the sentence's lead figure, 收入合计), from the tables, in percent. The tolerance
-- is half a unit of the stated share's last digit plus what the part's and the total's
-- printed precisions allow. One row per share claim whose part and total are resolved; left
-- and right are in percentage points.
{{ by_issuer() }}
with claims as (
    select * from {{ ref('stg_landing__claims') }}
    where claim_measure = 'share' and subject_value_id is not null and denominator_value_id is not null
      and {{ when_incremental(affected_documents('document_id')) }}
),
located as (
    -- the part and the total: the same document or a companion file of its issuer
    select * from {{ affected_rows_of('int_amounts_located') }}
)
select
    'narrative_share' as identity_id,
    c.document_id,
    p.table_id,
    coalesce(c.narrative_section || ': ', '') || coalesce(c.subject, '(no subject)') || ' ' || c.raw_text || ' of ' || coalesce(t.line_item, t.column_path, t.value_id) as location,
    cast(c.published_value as decimal(18, 2)) as left_amount,
    case when t.amount <> 0 then cast(100 * cast(p.amount as decimal(38, 10)) / t.amount as decimal(18, 2)) end as right_amount,
    2 as n_parts,
    case when t.amount <> 0 then cast(
        0.5 * power(10, -c.published_decimals)
        + 100 * 0.5 * power(10, -p.published_decimals) * {{ unit_multiplier('p.amount_unit') }} / abs(t.amount)
        + 100 * abs(cast(p.amount as double)) * 0.5 * power(10, -t.published_decimals) * {{ unit_multiplier('t.amount_unit') }} / (cast(t.amount as double) ^ 2)
        + 0.005 as decimal(18, 4)) end as tolerance,
    [c.claim_id, p.value_id, t.value_id] as source_value_ids,
    [d.source_file || ' · ' || coalesce('p.' || c.page_number, 'line ' || c.line_number_in_file), p.source_address, t.source_address]
        as source_addresses
from claims as c
join located as p on p.value_id = c.subject_value_id
join located as t on t.value_id = c.denominator_value_id
join {{ ref('stg_landing__documents') }} as d on d.document_id = c.document_id
