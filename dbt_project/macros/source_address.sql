{#- The columns of a landed source address, named as the marts name them (the landing's
    _ADDRESS in ingest/landing.py, the one other place they are listed). -#}
{% macro source_address_columns() -%}
    page as page_number,
    line_no as line_number_in_file,
    bbox_x0,
    bbox_top,
    bbox_x1,
    bbox_bottom
{%- endmacro %}
