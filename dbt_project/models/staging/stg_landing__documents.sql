select
    document_id,
    content_hash,
    source_file,
    format as source_format,
    page_count,
    line_count,
    title as document_title,
    issuer_name,
    issuer_code,
    parent_code as parent_issuer_code,
    parent_name as parent_issuer_name,
    fiscal_year,
    document_kind,
    scope as document_scope,
    try_cast(published_date as date) as published_date,
    table_count,
    parser_version
from {{ source('landing', 'documents') }}
