-- A change the narrative states beside the two amounts it compares follows from them, needing
-- no table: '2025年当年预算执行数为59.11万元，2026年预算安排57.8万元，比2025年预算执行数减少2.21%'
-- (−2.21 % stated; (57.8 − 59.11) / 59.11 = −2.22 %). Also '年初预算X万元，支出决算Y万元，完成年初
-- 预算的Z%'. Each stated figure is rounded to its printed precision, so the implied change may
-- move by what half a unit of each amount's last digit moves it (first-order bounds) plus half a
-- unit of the stated change's own last digit: that is the tolerance.
-- Two identities: narrative_change_follows (the size) and narrative_direction_follows (the
-- direction word — 增加/减少, 增长/下降 — against the sign the amounts give; violated only where
-- the signs differ beyond rounding).
{{ by_document() }}
with claims as (
    select c.*, c.amount_yuan / {{ unit_multiplier('c.claim_unit') }} as in_unit,
           0.5 * power(10, -c.published_decimals) as half
    from {{ touched_rows_of('stg_landing__claims') }} as c
),
changes as (
    select * from claims
    where claim_measure in ('change_percent', 'change_amount', 'completion_rate') and published_value is not null
),
bases as (
    select * from claims where claim_measure in ('prior_amount', 'budget_amount') and amount_yuan is not null
),
news as (
    select * from claims where claim_measure in ('budget_amount', 'amount') and amount_yuan is not null
),
paired as (
    -- the change, the base before it (last year's execution; for a completion rate the 年初预算)
    -- and the new amount between the base and the change, all of one subject and sentence
    select
        ch.claim_id, ch.document_id, ch.narrative_section, ch.subject, ch.raw_text, ch.claim_measure,
        ch.published_value as stated, ch.half as stated_half, ch.published_decimals as stated_decimals, ch.page_number, ch.line_number_in_file,
        b.claim_id as base_id, b.amount_yuan as base_yuan, b.half * {{ unit_multiplier('b.claim_unit') }} as base_half,
        n.claim_id as new_id, n.amount_yuan as new_yuan, n.half * {{ unit_multiplier('n.claim_unit') }} as new_half,
        {{ unit_multiplier('ch.claim_unit') }} as stated_multiplier
    from changes as ch
    join bases as b
      on b.document_id = ch.document_id and b.sentence_index = ch.sentence_index
     and b.subject is not distinct from ch.subject and b.claim_index < ch.claim_index
     and (b.claim_measure = 'prior_amount') = (ch.claim_measure <> 'completion_rate')
    join news as n
      on n.document_id = ch.document_id and n.sentence_index = ch.sentence_index
     and n.subject is not distinct from ch.subject
     and n.claim_index > b.claim_index and n.claim_index < ch.claim_index
     and n.claim_measure = case when ch.claim_measure = 'completion_rate' then 'amount' else n.claim_measure end
    where b.amount_yuan <> 0 or ch.claim_measure = 'change_amount'
    qualify row_number() over (partition by ch.claim_id order by b.claim_index desc, n.claim_index desc) = 1
),
implied as (
    select
        *,
        case claim_measure
            when 'change_percent' then 100 * (new_yuan - base_yuan) / base_yuan
            when 'completion_rate' then 100 * new_yuan / base_yuan
            else (new_yuan - base_yuan) / stated_multiplier
        end as implied_value,
        case claim_measure
            -- twice the change's half unit: once for its own rounding, once because the implied
            -- change is compared rounded as the stated one is printed
            when 'change_amount' then 2 * stated_half + (new_half + base_half) / stated_multiplier
            else 2 * stated_half + 100 * new_half / abs(base_yuan) + 100 * abs(new_yuan) * base_half / (base_yuan * base_yuan)
        end as implied_tolerance
    from paired
),
documents as (
    select document_id, source_file from {{ touched_rows_of('stg_landing__documents') }}
)
select
    r.identity_id,
    i.document_id,
    null::varchar as table_id,
    coalesce(i.narrative_section || ': ', '') || coalesce(i.subject, '(no subject)') || ' ' || i.raw_text as location,
    case when r.identity_id = 'narrative_change_follows' then cast(i.stated as decimal(18, 2)) else sign(i.stated) end as left_amount,
    -- the implied change rounded as the narrative printed its own
    case when r.identity_id = 'narrative_change_follows' then cast(round(i.implied_value, i.stated_decimals) as decimal(18, 2))
         else sign(i.implied_value) end as right_amount,
    2 as n_parts,
    cast(i.implied_tolerance as decimal(18, 4)) as tolerance,
    case when r.identity_id = 'narrative_direction_follows' then
        case when i.claim_measure = 'completion_rate' or i.stated = 0 or abs(i.implied_value) <= i.implied_tolerance then 'not_applicable'
             when sign(i.stated) = sign(i.implied_value) then 'holds_exactly'
             else 'violated' end
    end as given_outcome,
    [i.claim_id, i.base_id, i.new_id] as source_value_ids,
    [d.source_file || ' · ' || coalesce('p.' || i.page_number, 'line ' || i.line_number_in_file)] as source_addresses
from implied as i
join documents as d using (document_id)
cross join (values ('narrative_change_follows'), ('narrative_direction_follows')) as r(identity_id)
where r.identity_id = 'narrative_change_follows' or i.claim_measure <> 'completion_rate'
