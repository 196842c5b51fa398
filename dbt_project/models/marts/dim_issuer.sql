-- One row per issuer (department or unit), identified by its normalised name: the names
-- printed for it, its code and parent department where printed, and its place (province,
-- prefecture, county) and administrative level as inferred from the name.
with documents as (
    select d.*, i.issuer_normalised_name, i.issuer_id, i.province_name, i.prefecture_name, i.county_name, i.admin_level
    from {{ ref('stg_landing__documents') }} as d
    join {{ ref('int_document_issuers') }} as i using (document_id)
)
select
    issuer_id,
    -- the name as printed without a scope suffix where a document prints it so
    coalesce(max(issuer_name) filter (where issuer_name = issuer_normalised_name),
             first(issuer_name order by fiscal_year desc, issuer_name)) as issuer_name,
    min(issuer_normalised_name) as issuer_normalised_name,
    list(distinct issuer_name order by issuer_name) as printed_names,
    max(issuer_code) as issuer_code,
    max(parent_issuer_code) as parent_issuer_code,
    max(parent_issuer_name) as parent_issuer_name,
    min(province_name) as province_name,
    min(prefecture_name) as prefecture_name,
    min(county_name) as county_name,
    min(admin_level) as admin_level,
    min(fiscal_year) as first_fiscal_year,
    max(fiscal_year) as last_fiscal_year,
    count(*) as document_count
from documents
group by issuer_id
