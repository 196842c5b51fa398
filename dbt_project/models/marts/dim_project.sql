-- 项目: one row per project of an issuer and year, from the project lists and the performance
-- forms that print it. Grain: project_id (issuer, year, name, implementing unit).
select
    project_id,
    min(project_name) as project_name,
    min(issuer_id) as issuer_id,
    min(issuer_name) as issuer_name,
    min(fiscal_year) as fiscal_year,
    max(implementing_unit_code) as implementing_unit_code,
    max(implementing_unit_name) as implementing_unit_name,
    max(supervising_department_code) as supervising_department_code,
    max(supervising_department_name) as supervising_department_name,
    list(distinct template_id order by template_id) as printed_in_templates,
    count(distinct document_id) as document_count,
    count(*) as appearance_count
from {{ ref('int_projects') }}
group by project_id
