-- A figure the narrative states equals the table value it restates (收入合计392.51万元 against
-- 公开01表's 本年收入合计). The narrative may round more coarsely than the table, and it often
-- truncates instead of rounding (204.9197 printed 204.91) or rounds its items so that they add
-- up to its total (58.79 printed 58): the tolerance is one unit of the narrative's last printed
-- digit, or half a unit of the table's when that is coarser. A difference within it is a finding
-- of severity info, not a figure that contradicts its table (DECISIONLOG). One row per resolved
-- amount claim.
{{ by_issuer() }}
with claims as (
    select * from {{ ref('stg_landing__claims') }}
    where restated_value_id is not null and amount_yuan is not null
      and {{ when_incremental(affected_documents('document_id')) }}
),
located as (
    -- the table: the same document or a companion file of its issuer
    select * from {{ affected_rows_of('int_amounts_located') }}
),
units as (
    select unit, multiplier from (values ('元', 1), ('万元', 10000), ('亿元', 100000000)) as u(unit, multiplier)
)
select
    'narrative_equals_table' as identity_id,
    c.document_id,
    t.table_id,
    coalesce(c.narrative_section || ': ', '') || coalesce(c.subject, '(no subject)') || ' ' || c.raw_text as location,
    {{ to_money('c.amount_yuan') }} as left_amount,
    t.amount as right_amount,
    1 as n_parts,
    cast(greatest(power(10, -c.published_decimals) * u.multiplier,
                  0.5 * power(10, -t.published_decimals) * {{ unit_multiplier('t.amount_unit') }})
         as decimal(18, 4)) as tolerance,
    [c.claim_id, t.value_id] as source_value_ids,
    [d.source_file || ' · ' || coalesce('p.' || c.page_number, 'line ' || c.line_number_in_file), t.source_address]
        as source_addresses
from claims as c
join located as t on t.value_id = c.restated_value_id
join units as u on u.unit = c.claim_unit
join {{ ref('stg_landing__documents') }} as d on d.document_id = c.document_id
