-- One row per finding an inspector would read: every identity application that is violated
-- (severity from the rule catalogue) or holds only within rounding (info), every required table
-- missing or printed empty without its statement, every required part of the text missing, and every word check (years, placeholders, a
-- 单位 calling itself 部门) and every table printing another issuer's name than the cover's. Each with its rule, severity, document, page, the cells or sentence
-- (ids, addresses, the first one's box), both sides and a one-line message in Chinese. Where a
-- row sum and a column sum fail at the same cell and changing that cell alone would make both
-- hold, the finding names it (suspect_value_id) and the value it would need.
-- Incremental as identity_results: a build after a change recomputes the findings of the
-- documents whose applications and checks it recomputed.
{{ by_finding() }}
with catalogue as (
    select * from {{ ref('rule_catalogue') }}
),
documents as (
    select document_id, issuer_name, fiscal_year, document_kind, document_scope, source_file
    from {{ ref('stg_landing__documents') }}
),
values_ as (
    select value_id as source_id, page_number, bbox_x0, bbox_top, bbox_x1, bbox_bottom, amount_yuan
    from {{ ref('stg_landing__values') }}
),
claims as (
    select claim_id as source_id, page_number, sentence, raw_text from {{ ref('stg_landing__claims') }}
),
rows_ as (
    select row_id as source_id, page_number, bbox_x0, bbox_top, bbox_x1, bbox_bottom from {{ ref('stg_landing__rows') }}
),
-- the cell that, changed alone, would make a failing row sum and a failing column sum both hold
sums as (
    select application_id, identity_id, difference, tolerance, source_value_ids
    from {{ ref('identity_results') }}
    where outcome = 'violated' and identity_id in ('children_sum_to_parent', 'total_column_equals_components')
),
cells as (
    select application_id, identity_id, tolerance,
           unnest(source_value_ids) as value_id,
           -- the first id is the total: it must move against the difference, a part with it
           case when generate_subscripts(source_value_ids, 1) = 1 then -difference else difference end as change
    from sums
),
suspects as (
    select r.application_id as row_application, c.application_id as column_application, r.value_id,
           r.change
    from cells as r
    join cells as c
      on c.value_id = r.value_id and r.identity_id = 'total_column_equals_components'
     and c.identity_id = 'children_sum_to_parent'
     and abs(r.change - c.change) <= greatest(r.tolerance, c.tolerance)
),
suspect_by_application as (
    select application_id, min(value_id) as suspect_value_id, min(change) as change
    from (
        select row_application as application_id, value_id, change from suspects
        union all
        select column_application, value_id, change from suspects
    )
    group by application_id
    having count(distinct value_id) = 1
),
identity_findings as (
    select
        r.application_id as finding_id,
        r.identity_id as rule_id,
        case when r.outcome = 'violated' then c.severity else 'info' end as severity,
        r.document_id,
        r.table_id,
        r.location,
        case when r.identity_id = 'narrative_direction_follows' then case sign(r.left_amount) when 1 then '增加' when -1 then '减少' else '持平' end
             when r.compared = 'names' then split_part(r.location, ' against ', 1) else cast(r.left_amount as varchar) end as left_side,
        case when r.identity_id = 'narrative_direction_follows' then case sign(r.right_amount) when 1 then '增加' when -1 then '减少' else '持平' end
             when r.compared = 'names' then nullif(split_part(r.location, ' against ', 2), '') else cast(r.right_amount as varchar) end as right_side,
        r.difference,
        r.source_value_ids,
        r.source_addresses,
        s.suspect_value_id,
        cast(v_s.amount_yuan + s.change as decimal(18, 2)) as suspect_value,
        c.title_zh
            || case when r.outcome = 'holds_within_rounding' then '（在尾数误差以内）' else '' end
            || '：' || r.location
            || case when r.compared = 'amounts' then '（' || coalesce(cast(r.left_amount as varchar), '—') || ' 对 '
                     || coalesce(cast(r.right_amount as varchar), '—') || '，差 ' || coalesce(cast(r.difference as varchar), '—') || '）'
                    else '' end
            || case when s.suspect_value_id is not null then '；可能有误的单元格应为 ' || cast(v_s.amount_yuan + s.change as decimal(18, 2)) else '' end
            as message_zh
    from {{ ref('identity_results') }} as r
    join catalogue as c on c.rule_id = r.identity_id
    left join suspect_by_application as s using (application_id)
    left join values_ as v_s on v_s.source_id = s.suspect_value_id
    where r.outcome = 'violated'
       or (r.outcome = 'holds_within_rounding' and r.compared = 'amounts')
),
table_findings as (
    select
        md5('required|' || t.document_id || '|' || t.template_id) as finding_id,
        case t.table_status when 'missing' then 'required_table_present' else 'empty_table_has_statement' end as rule_id,
        null as severity,
        t.document_id,
        t.table_id,
        t.table_name_zh as location,
        t.table_name_zh as left_side,
        t.table_status as right_side,
        null::decimal(18, 2) as difference,
        list_filter([t.table_id], lambda x: x is not null) as source_value_ids,
        [t.source_file || coalesce(' · p.' || t.page_number, '')] as source_addresses,
        null::varchar as suspect_value_id,
        null::decimal(18, 2) as suspect_value,
        case t.table_status when 'missing' then '缺少必须公开的表：' || t.table_name_zh
             else '空表未作说明（本表无数据）：' || t.table_name_zh end as message_zh
    from {{ ref('int_check__required_tables') }} as t
    where t.table_status in ('missing', 'empty_without_statement')
),
section_findings as (
    select
        md5('section|' || s.document_id || '|' || s.section_id) as finding_id,
        'required_section_present' as rule_id,
        null as severity,
        s.document_id,
        null::varchar as table_id,
        s.section_name_zh as location,
        s.section_name_zh as left_side,
        s.section_status as right_side,
        null::decimal(18, 2) as difference,
        []::varchar[] as source_value_ids,
        [s.source_file] as source_addresses,
        null::varchar as suspect_value_id,
        null::decimal(18, 2) as suspect_value,
        c.title_zh || '：' || s.section_name_zh as message_zh
    from {{ ref('int_check__required_sections') }} as s
    join catalogue as c on c.rule_id = 'required_section_present'
    where s.section_status = 'missing'
),
text_findings as (
    select
        md5(w.check_id || '|' || w.document_id || '|' || w.source_id || '|' || coalesce(cast(w.found as varchar), '')) as finding_id,
        w.check_id as rule_id,
        null as severity,
        w.document_id,
        null::varchar as table_id,
        w.text as location,
        coalesce(cast(w.found as varchar), w.text) as left_side,
        cast(w.expected as varchar) as right_side,
        null::decimal(18, 2) as difference,
        [w.source_id] as source_value_ids,
        [w.source_file || ' · ' || coalesce('p.' || w.page_number, 'line ' || w.line_number)] as source_addresses,
        null::varchar as suspect_value_id,
        null::decimal(18, 2) as suspect_value,
        c.title_zh || '：' || left(w.text, 80) || coalesce('（' || w.found || '年，应为' || w.expected || '年）', '') as message_zh
    from {{ ref('int_check__narrative_text') }} as w
    join catalogue as c on c.rule_id = w.check_id
),
name_findings as (
    select
        md5('issuer_name|' || n.table_id) as finding_id,
        n.check_id as rule_id,
        null as severity,
        n.document_id,
        n.table_id,
        coalesce(n.printed_title, '表') || '：' || n.printed_issuer || ' against ' || n.issuer_name as location,
        n.printed_issuer as left_side,
        n.issuer_name as right_side,
        null::decimal(18, 2) as difference,
        [n.table_id] as source_value_ids,
        [n.source_file || ' · ' || coalesce('p.' || n.page_number, 'line ' || n.line_number)] as source_addresses,
        null::varchar as suspect_value_id,
        null::decimal(18, 2) as suspect_value,
        c.title_zh || '：表中为“' || n.printed_issuer || '”，封面为“' || n.issuer_name || '”' as message_zh
    from {{ ref('int_check__issuer_names') }} as n
    join catalogue as c on c.rule_id = n.check_id
),
all_findings as (
    select * from (
        select * from identity_findings
        union all by name
        select * from table_findings
        union all by name
        select * from section_findings
        union all by name
        select * from text_findings
        union all by name
        select * from name_findings
    )
    {% if is_incremental() %}where {{ recomputed_applications('', 'rule_id') }}{% endif %}
),
-- the box of every cell the finding involves, for a reader (make report) to outline them
cell_boxes as (
    select f.finding_id,
           list(struct_pack(source_id := b.source_id, page := b.page_number, x0 := b.bbox_x0, top := b.bbox_top,
                            x1 := b.bbox_x1, bottom := b.bbox_bottom) order by b.source_id) as cell_boxes
    from (select finding_id, unnest(source_value_ids) as source_id from all_findings) as f
    join (select source_id, page_number, bbox_x0, bbox_top, bbox_x1, bbox_bottom from values_
          union all
          select source_id, page_number, bbox_x0, bbox_top, bbox_x1, bbox_bottom from rows_) as b
      on b.source_id = f.source_id
    where b.bbox_x0 is not null
    group by f.finding_id
)
select
    f.finding_id,
    f.rule_id,
    coalesce(f.severity, c.severity) as severity,
    f.document_id,
    d.issuer_name,
    d.fiscal_year,
    d.document_kind,
    d.document_scope,
    d.source_file,
    coalesce(v.page_number, cl.page_number, rw.page_number,
             try_cast(regexp_extract(f.source_addresses[1], 'p\.([0-9]+)', 1) as integer)) as page_number,
    f.table_id,
    f.location,
    cl.sentence,
    f.left_side,
    f.right_side,
    f.difference,
    f.source_value_ids,
    f.source_addresses,
    coalesce(v.bbox_x0, rw.bbox_x0) as bbox_x0,
    coalesce(v.bbox_top, rw.bbox_top) as bbox_top,
    coalesce(v.bbox_x1, rw.bbox_x1) as bbox_x1,
    coalesce(v.bbox_bottom, rw.bbox_bottom) as bbox_bottom,
    cb.cell_boxes,
    cl.raw_text as figure_text,
    f.suspect_value_id,
    f.suspect_value,
    f.message_zh
from all_findings as f
left join cell_boxes as cb using (finding_id)
join catalogue as c using (rule_id)
join documents as d using (document_id)
left join values_ as v on v.source_id = f.source_value_ids[1]
left join claims as cl on cl.source_id = f.source_value_ids[1]
left join rows_ as rw on rw.source_id = f.source_value_ids[1]
