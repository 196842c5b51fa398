-- One item, one amount: a line the narrative names (a 类/款/项 chain, a project, a total) is
-- given the same amount wherever one paragraph states it — '住房公积金（01项）208.8万元 …
-- 2026年预算安排201.50万元' gives one line two amounts. Needs no table. A paragraph is the run of
-- sentences (at most three apart) that keep the subject; in a budget the line's amount and its
-- 预算安排 are the same figure, in a final account only its 决算 figures are compared (the
-- 年初预算, the 全年预算 and the 决算 of a line differ by right). Each later figure is compared with the first;
-- the tolerance is half a unit of the coarser printed precision. Only where the line is certain:
-- a 类/款/项 chain.
{{ by_document() }}
with claims as (
    select c.*, d.document_kind, d.source_file
    from {{ touched_rows_of('stg_landing__claims') }} as c
    join {{ touched_rows_of('stg_landing__documents') }} as d using (document_id)
    where c.claim_measure in ('amount', 'budget_amount') and c.amount_yuan is not null
      and c.claim_unit in ('元', '万元', '亿元')  -- not a zero printed without a unit
      and c.subject is not null and length(c.subject) >= 2
),
paired as (
    select
        later.*, first.claim_id as first_id, first.amount_yuan as first_yuan, first.raw_text as first_text,
        first.published_decimals as first_decimals, first.claim_unit as first_unit
    from claims as later
    join claims as first
      on first.document_id = later.document_id and first.subject = later.subject
     and first.narrative_section is not distinct from later.narrative_section
     and (first.sentence_index < later.sentence_index
          or (first.sentence_index = later.sentence_index and first.claim_index < later.claim_index))
     and later.sentence_index - first.sentence_index <= 3
     and (later.document_kind = '预算' or (first.claim_measure = 'amount' and later.claim_measure = 'amount'))
     -- the same line for certain: a chain naming its 类/款/项 (a clause without a subject of its
     -- own continues the previous one's, which may be wrong; a bare '财政拨款' of two projects
     -- resolves to one summary line)
     and regexp_matches(later.subject, '[（(][0-9]*(类|款|项)[)）]')
    qualify row_number() over (partition by later.claim_id order by first.sentence_index, first.claim_index) = 1
)
select
    'narrative_item_one_amount' as identity_id,
    document_id,
    null::varchar as table_id,
    coalesce(narrative_section || ': ', '') || subject || ' ' || raw_text || ' against ' || first_text as location,
    {{ to_money('amount_yuan') }} as left_amount,
    {{ to_money('first_yuan') }} as right_amount,
    1 as n_parts,
    cast(greatest(0.5 * power(10, -published_decimals) * {{ unit_multiplier('claim_unit') }},
                  0.5 * power(10, -first_decimals) * {{ unit_multiplier('first_unit') }}) as decimal(18, 4)) as tolerance,
    null::varchar as given_outcome,
    [claim_id, first_id] as source_value_ids,
    [source_file || ' · ' || coalesce('p.' || page_number, 'line ' || line_number_in_file)] as source_addresses
from paired
