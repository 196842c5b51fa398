-- Every table a publication of its kind must print (seed required_tables: the ten 决算 公开表;
-- 上海's nine 预算 tables), per current document: present, present and empty with its statement
-- (本表无数据 / 故本表为空: is_announced_empty, or the narrative section about it stating only
-- zeros), empty without a statement, or missing. A
-- publication split into files (narrative apart from tables) is one publication: the tables
-- of every document of the same issuer, year, kind and scope count.
{{ by_issuer() }}
with documents as (
    select d.document_id, d.issuer_name, d.fiscal_year, d.document_kind, d.document_scope, d.source_file,
           i.issuer_id
    from {{ affected_rows_of('stg_landing__documents') }} as d
    join {{ affected_rows_of('int_document_issuers') }} as i using (document_id)
),
required as (
    select * from {{ ref('required_tables') }}
),
applies as (
    select d.*, r.template_id, r.table_name_zh, r.narrative_keyword
    from documents as d
    join required as r
      on r.document_kind = d.document_kind
     and (coalesce(r.issuer_prefix, '') = '' or starts_with(d.issuer_name, r.issuer_prefix))
),
printed as (
    select d.issuer_id, d.fiscal_year, d.document_kind, d.document_scope, t.template_id,
           bool_or(not t.is_empty) as has_values,
           bool_or(t.is_empty and t.is_announced_empty) as announced_empty,
           min(t.table_id) as table_id,
           min(t.first_page) as first_page
    from {{ affected_rows_of('stg_landing__tables') }} as t
    join documents as d using (document_id)
    group by all
),
-- a narrative section or line about the table that states only zeros ('2023 年度政府性基金预算财政
-- 拨款年初结转和结余 0.00 万元，本年收入 0.00 万元…', '政府性基金拨款支出预算0万元') explains its
-- emptiness as 本表无数据 would
explained as (
    select a.document_id, a.template_id
    from applies as a
    join {{ affected_rows_of('stg_landing__claims') }} as c
      on c.document_id = a.document_id and coalesce(a.narrative_keyword, '') <> ''
     and (contains(coalesce(c.narrative_section, ''), a.narrative_keyword)
          or contains(coalesce(c.subject, ''), a.narrative_keyword))
    where c.amount_yuan is not null
    group by all
    having bool_and(c.amount_yuan = 0)
)
select
    a.document_id,
    a.template_id,
    a.table_name_zh,
    p.table_id,
    p.first_page as page_number,
    case when p.template_id is null then 'missing'
         when p.has_values then 'present'
         when p.announced_empty or e.template_id is not null then 'present_empty_with_statement'
         else 'empty_without_statement' end as table_status,
    a.source_file
from applies as a
left join printed as p
  on p.issuer_id = a.issuer_id and p.fiscal_year = a.fiscal_year and p.document_kind = a.document_kind
 and p.document_scope is not distinct from a.document_scope and p.template_id = a.template_id
left join explained as e on e.document_id = a.document_id and e.template_id = a.template_id
