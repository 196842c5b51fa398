-- 项目支出绩效自评表: one row per form (a project of one implementing unit and year) — the
-- funds of its total line (资金总额; the first funding line where none is labelled so),
-- the execution rate, the funds' 分值/得分, the total score and the grade. The other funding
-- lines (其中：当年财政拨款 …) are in fct_amount. Grain: table_id. Incremental by the affected
-- issuers' documents.
{{ by_issuer() }}
with form_values as (
    select * from {{ ref('int_amounts_located') }}
    where template_id in ({{ templates_in_role('project_performance') }})
      {% if is_incremental() %} and {{ affected_documents('document_id') }}{% endif %}
),
funding as (
    select * from form_values
    where column_path in ('年初预算数', '年初预算数/预算编制数', '年初预算数/目标申报数', '全年预算数',
                          '全年执行数', '资金结余', '执行率', '分值', '得分')
      and line_item is not null and table_section is null
),
total_lines as (
    select table_id, arg_min(row_index, [
        case when regexp_matches(regexp_replace(line_item, '\s', '', 'g'), '^(年度)?资金总额|^合计') then 0 else 1 end,
        row_index]) as row_index
    from funding
    group by table_id
),
totals as (
    select
        f.table_id,
        min(f.line_item) as funding_line,
        max(f.amount) filter (where f.column_path in ('年初预算数', '年初预算数/预算编制数')) as initial_budget,
        max(f.amount) filter (where f.column_path = '年初预算数/目标申报数') as declared_budget,
        max(f.amount) filter (where f.column_path = '全年预算数') as full_year_budget,
        max(f.amount) filter (where f.column_path = '全年执行数') as executed,
        max(f.amount) filter (where f.column_path = '资金结余') as balance,
        max(f.published_value) filter (where f.column_path = '执行率') as execution_rate_percent,
        max(f.published_value) filter (where f.column_path = '分值') as funds_weight,
        max(f.published_value) filter (where f.column_path = '得分') as funds_score,
        list(f.source_address order by f.column_index) as source_addresses
    from funding as f
    join total_lines using (table_id, row_index)
    group by f.table_id
),
scores as (
    select
        table_id,
        max(published_value) filter (where column_path = '总分/得分') as total_score,
        max(published_value) filter (where column_path = '总分/分值') as total_weight,
        max(raw_text) filter (where column_path = '等级') as grade
    from form_values
    group by table_id
),
forms as (
    select distinct table_id, document_id, issuer_name, fiscal_year from form_values
)
select
    f.table_id,
    p.project_id,
    f.document_id,
    p.issuer_id,
    f.issuer_name,
    f.fiscal_year,
    p.project_name,
    p.implementing_unit_name,
    t.funding_line,
    t.initial_budget,
    t.declared_budget,
    t.full_year_budget,
    t.executed,
    t.balance,
    t.execution_rate_percent,
    t.funds_weight,
    t.funds_score,
    s.total_score,
    s.total_weight,
    s.grade,
    t.source_addresses
from forms as f
left join totals as t using (table_id)
left join scores as s using (table_id)
left join {{ ref('int_projects') }} as p on p.table_id = f.table_id and p.row_index is null
-- current documents only (a corrected document's earlier version is in dim_document)
where f.document_id in (select document_id from {{ ref('dim_document') }} where is_current)
