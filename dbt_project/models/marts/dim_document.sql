-- One row per landed document.
with documents as (
    select * from {{ ref('stg_landing__documents') }}
),
ranked as (
    -- a re-published document (a correction) supersedes the earlier version of the same
    -- issuer, year, kind and scope: the later publication date, else the later file. A
    -- publication in two files (its tables, its narrative) is two parts, not two versions.
    select
        *,
        first_value(document_id) over versions as current_document_id
    from documents
    window versions as (
        partition by issuer_name, fiscal_year, document_kind, document_scope, table_count > 0
        order by published_date desc nulls last, source_modified_at desc, document_id
    )
)
select
    document_id,
    i.issuer_id,
    ranked.issuer_name,
    issuer_code,
    fiscal_year,
    document_kind,
    document_scope,
    document_title,
    source_file,
    source_format,
    source_text_encoding,
    content_hash,
    page_count,
    line_count,
    table_count,
    published_date,
    source_modified_at,
    parser_version,
    document_id = current_document_id as is_current,
    case when document_id <> current_document_id then current_document_id end as superseded_by_document_id
from ranked
join {{ ref('int_document_issuers') }} as i using (document_id)
