-- One row per landed document.
with documents as (
    select * from {{ ref('stg_landing__documents') }}
),
ranked as (
    select
        *,
        -- the current version of an issuer-year-kind-scope is the latest published one
        row_number() over (
            partition by issuer_name, fiscal_year, document_kind, document_scope
            order by published_date desc nulls last, document_id
        ) = 1 as is_current
    from documents
)
select
    document_id,
    md5(coalesce(issuer_name, '')) as issuer_id,
    issuer_name,
    issuer_code,
    fiscal_year,
    document_kind,
    document_scope,
    document_title,
    source_file,
    source_format,
    content_hash,
    page_count,
    line_count,
    table_count,
    published_date,
    parser_version,
    is_current
from ranked
