select
    row_id,
    document_id,
    table_id,
    template_id,
    row_index,
    group_index,
    section as table_section,
    row_label,
    line_item,
    line_number as printed_line_number,
    function_code,
    economic_code,
    gov_economic_code,
    unit_code,
    {{ source_address_columns() }},
    parser_version
from {{ source('landing', 'rows') }}
