-- One row per issuer (department or unit) as named in its documents.
with documents as (
    select * from {{ ref('stg_landing__documents') }}
)
select
    md5(coalesce(issuer_name, '')) as issuer_id,
    issuer_name,
    max(issuer_code) as issuer_code,
    max(parent_issuer_code) as parent_issuer_code,
    max(parent_issuer_name) as parent_issuer_name,
    min(fiscal_year) as first_fiscal_year,
    max(fiscal_year) as last_fiscal_year,
    count(*) as document_count
from documents
group by issuer_name
