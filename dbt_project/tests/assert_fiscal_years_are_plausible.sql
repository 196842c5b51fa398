-- A fiscal year no publication can have (a title misread or misprinted as 2099): the build
-- quarantines the document (it names itself by document_id) instead of publishing a year
-- that would mislead every analysis by year. Budgets are published for the coming year.
select document_id, fiscal_year
from {{ ref('dim_document') }}
where fiscal_year not between 1990 and extract(year from current_date) + 2
