select
    document_id,
    table_id,
    row_index,
    column_index,
    text as cell_text,
    is_header,
    page as page_number,
    line_no as line_number_in_file,
    bbox_x0,
    bbox_top,
    bbox_x1,
    bbox_bottom,
    parser_version
from {{ source('landing', 'cells') }}
