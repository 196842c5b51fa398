-- What each value measures, read from its column's header path (and, for rows without a
-- classification code, from the row's own line item) against the vocabulary seed
-- `measure_vocabulary`: the spending type (基本/项目/人员/公用 …), the funding source (一般
-- 公共预算, 政府性基金, 事业收入 …), the figure (预算数 or 决算数) and the 三公 item.
-- For each attribute the deepest header segment that names one wins (基本支出/人员经费 is
-- personnel), then the vocabulary's priority; generic words (合计, 小计, 金额) name nothing,
-- so a value under none of the words is the total of its row. One row per value_id. Built by
-- document (macros/incremental.sql).
{{ by_document() }}
with amounts as (
    select * from {{ ref('int_amounts_located') }}
    {{ only_touched('document_id') }}
),
vocabulary as (
    select * from {{ ref('measure_vocabulary') }}
),
segments as (
    -- header segments from 1 (outermost); the row's line item, for rows without a code,
    -- is segment 0: it names a measure only where no header does (summary-table lines)
    select value_id, unnest(segments) as segment, generate_subscripts(segments, 1) as depth
    from (
        select value_id, string_split(regexp_replace(coalesce(column_path, ''), '\s', '', 'g'), '/') as segments
        from amounts
    )
    union all
    select value_id, regexp_replace(line_item, '\s', '', 'g'), 0
    from amounts
    where function_code is null and economic_code is null and line_item is not null
),
named as (
    -- the vocabulary is matched once per distinct segment (a few hundred), not once per value
    select seg.segment, v.attribute, v.value, v.priority
    from (select distinct segment from segments) as seg
    join vocabulary as v on regexp_matches(seg.segment, v.pattern)
    -- captions drawn inside a header (编制单位：…, 单位：元) are not measures
    where not regexp_matches(seg.segment, '^(编制)?单位[：:]')
),
matched as (
    select s.value_id, n.attribute, n.value, s.depth, n.priority
    from segments as s
    join named as n using (segment)
),
chosen as (
    select value_id, attribute, arg_min(value, [-depth, priority]) as value
    from matched
    group by all
)
select
    a.*,
    coalesce(st.value, 'total') as spending_type,
    coalesce(fs.value, 'all') as funding_source,
    coalesce(fg.value, case a.document_kind when '预算' then 'budget' when '决算' then 'actual' end) as figure,
    case when a.template_id in ('final_09_three_public', 'budget_three_public')
        then coalesce(tp.value, 'total') end as three_public_item
from amounts as a
left join chosen as st on st.value_id = a.value_id and st.attribute = 'spending_type'
left join chosen as fs on fs.value_id = a.value_id and fs.attribute = 'funding_source'
left join chosen as fg on fg.value_id = a.value_id and fg.attribute = 'figure'
left join chosen as tp on tp.value_id = a.value_id and tp.attribute = 'three_public_item'
