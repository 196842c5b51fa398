{{ config(materialized='ephemeral') }}
-- The funding lines of the project self-evaluation forms (资金总额, 其中：当年财政拨款 …), one
-- row per (table, row) with the line's figures side by side, each with its value id,
-- printed decimals, unit and address: the operands of the performance identities.
with figures as (
    -- read by by-document identities only: in an incremental build, the touched documents'
    -- rows (an ephemeral model is not itself incremental, so the list is read directly)
    select * from {{ ref('int_amounts_located') }}
    where {{ touched_documents('document_id') }}
      and template_id in ({{ templates_in_role('project_performance') }})
      and table_section is null and line_item is not null and line_item <> '总分'
      and column_path in ('全年预算数', '全年执行数', '资金结余', '执行率')
)
select
    document_id,
    table_id,
    row_index,
    min(line_item) as funding_line,
    {%- for measure, name in [('全年预算数', 'budget'), ('全年执行数', 'executed'), ('资金结余', 'balance'), ('执行率', 'rate')] %}
    max({{ 'published_value' if name == 'rate' else 'amount' }}) filter (where column_path = '{{ measure }}') as {{ name }},
    max(published_decimals) filter (where column_path = '{{ measure }}') as {{ name }}_decimals,
    max({{ unit_multiplier('amount_unit') }}) filter (where column_path = '{{ measure }}') as {{ name }}_multiplier,
    max(value_id) filter (where column_path = '{{ measure }}') as {{ name }}_value_id,
    max(source_address) filter (where column_path = '{{ measure }}') as {{ name }}_address{{ ',' if not loop.last }}
    {%- endfor %}
from figures
group by document_id, table_id, row_index
