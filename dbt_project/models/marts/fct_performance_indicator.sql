-- 绩效指标: one row per indicator of a project self-evaluation form — its 一级/二级 level, the
-- indicator, the targets and the actual value as printed (text: ≥95%, 1473.92平方米), its
-- weight (分值) and score (得分). The targets are read from the columns the form's header
-- names, shifted as the row's 分值 is shifted when the extraction dropped empty cells.
-- Grain: (table_id, row_index). Incremental by the affected issuers' documents.
{{ by_issuer() }}
with scored as (
    select
        table_id, document_id, issuer_name, fiscal_year, row_index, table_section, line_item,
        max(published_value) filter (where column_path = '分值') as weight,
        max(published_value) filter (where column_path = '得分') as score,
        max(column_index) filter (where column_path = '分值') as weight_column,
        list(source_address order by column_index) as source_addresses
    from {{ ref('int_amounts_located') }}
    where template_id in ({{ templates_in_role('project_performance') }}) and column_path in ('分值', '得分')
      {% if is_incremental() %} and {{ affected_documents('document_id') }}{% endif %}
    group by all
),
cells as (
    select table_id, row_index, column_index, regexp_replace(cell_text, '\s', '', 'g') as text, cell_text
    from {{ ref('stg_landing__cells') }}
    where table_id in (select table_id from scored)
),
headers as (
    -- the indicator header row of each form, and where it prints each column
    select
        h.table_id,
        h.row_index as header_row,
        max(h.column_index) filter (where h.text = '分值') as weight_column,
        max(h.column_index) filter (where regexp_matches(h.text, '^(年初|年度)指标值$|^指标值$')) as target_column,
        max(h.column_index) filter (where h.text = '调整后指标值') as adjusted_target_column,
        max(h.column_index) filter (where regexp_matches(h.text, '^实际完成值$|^(全年)?实际值$|^完成值$')) as actual_column
    from cells as h
    where exists (select 1 from cells as w where w.table_id = h.table_id and w.row_index = h.row_index and w.text = '三级指标')
    group by h.table_id, h.row_index
),
placed as (
    select
        s.*,
        h.weight_column - s.weight_column as shift,
        h.target_column,
        h.adjusted_target_column,
        h.actual_column
    from scored as s
    asof join headers as h on h.table_id = s.table_id and h.header_row < s.row_index
)
select
    p.table_id || '-r' || lpad(cast(p.row_index as varchar), 3, '0') as indicator_id,
    p.table_id,
    p.row_index,
    pr.project_id,
    p.document_id,
    p.issuer_name,
    p.fiscal_year,
    split_part(p.table_section, '/', 1) as level_1,
    nullif(split_part(p.table_section, '/', 2), '') as level_2,
    p.line_item as indicator,
    t.cell_text as target,
    a.cell_text as adjusted_target,
    c.cell_text as actual,
    p.weight,
    p.score,
    p.source_addresses
from placed as p
left join cells as t on t.table_id = p.table_id and t.row_index = p.row_index and t.column_index = p.target_column - p.shift
left join cells as a on a.table_id = p.table_id and a.row_index = p.row_index and a.column_index = p.adjusted_target_column - p.shift
left join cells as c on c.table_id = p.table_id and c.row_index = p.row_index and c.column_index = p.actual_column - p.shift
left join {{ ref('int_projects') }} as pr on pr.table_id = p.table_id and pr.row_index is null
-- current documents only (a corrected document's earlier version is in dim_document)
where p.document_id in (select document_id from {{ ref('dim_document') }} where is_current)
