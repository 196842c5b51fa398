{#- Marts land in the warehouse's default schema (main) where analysts and BI tools look
    first; staging, intermediate and reference get their own schema by name. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
