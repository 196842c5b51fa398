{#- A fact per subject is a slice of the measured amounts of the current documents: the
    tables whose template plays the subject's role (seed template_roles, exported from
    ingest/templates.toml), the columns every subject fact shares (document, issuer, year,
    figure, the amount with its printed text and source address), and the subject's own keys.
    Every measure code (figure, spending_type, funding_source, three_public_item) has its
    Chinese label beside it (<code>_zh, from dim_measure). Incremental by the affected
    issuers' documents (macros/incremental.sql): a row depends on its document and on which
    version of its issuer's year is current. -#}
{% macro subject_fact(role, keys, value_kinds=['amount']) -%}
{{ by_issuer() }}
{%- set labelled = ['figure'] -%}
{%- for key in keys -%}
  {%- set name = key.split(' as ')[-1].split('.')[-1] | trim -%}
  {%- if name in ('spending_type', 'funding_source', 'three_public_item') -%}
    {%- do labelled.append(name) -%}
  {%- endif -%}
{%- endfor -%}
select
    facts.*
    {%- for measure in labelled %},
    label_{{ measure }}.name_zh as {{ measure }}_zh
    {%- endfor %}
from (
select
    m.value_id,
    m.document_id,
    i.issuer_id,
    m.issuer_name,
    m.fiscal_year,
    m.document_kind,
    m.document_scope,
    m.template_id,
    m.figure,
    {%- for key in keys %}
    {{ key }},
    {%- endfor %}

    m.column_path,
    m.amount,
    m.amount_unit,
    m.raw_text,
    m.page_number,
    m.line_number_in_file,
    m.row_index,
    m.column_index,
    m.source_address
from {{ ref('int_amounts_measured') }} as m
join {{ ref('int_document_issuers') }} as i using (document_id)
where m.document_id in (select document_id from {{ ref('dim_document') }} where is_current)
  and m.template_id in ({{ templates_in_role(role) }})
  and m.value_kind in ({% for k in value_kinds %}'{{ k }}'{{ ', ' if not loop.last }}{% endfor %})
  {% if is_incremental() %} and {{ affected_documents('m.document_id') }}{% endif %}
) as facts
{%- for measure in labelled %}
left join {{ ref('dim_measure') }} as label_{{ measure }}
    on label_{{ measure }}.measure = '{{ measure }}' and label_{{ measure }}.measure_code = facts.{{ measure }}
{%- endfor %}
{%- endmacro %}

{#- The function-classification keys of a row. -#}
{% macro function_keys() -%}
m.function_code, m.function_level, m.function_parent_code, m.line_item as subject_name
{%- endmacro %}

{#- The templates that play a role (seed template_roles), as a subquery. -#}
{% macro templates_in_role(role) -%}
select template_id from {{ ref('template_roles') }} where role = '{{ role }}'
{%- endmacro %}
