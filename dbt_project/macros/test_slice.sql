{#- dbt's own macro (global_project where_subquery.sql), overridden by the project: the rows a
    generic test checks. In an incremental build (TOUCHED_DOCUMENTS names the documents it
    recomputed: macros/incremental.sql) a test on a relation with `document_id` checks those
    documents' rows only; the other rows were checked by the build that made them. A full
    build (no TOUCHED_DOCUMENTS), and any test on a relation without `document_id`, checks
    every row. A test's own `where` config still applies. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set conditions = ['(' ~ where ~ ')'] if where else [] -%}
    {%- if execute and env_var('TOUCHED_DOCUMENTS', '') -%}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- if 'document_id' in names -%}
            {%- do conditions.append(touched_documents('document_id')) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
