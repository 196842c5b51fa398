-- Every published value of the current documents, one row each, with its source address.
-- Amounts are in 元 as decimal(18,2); percentages, counts and scores keep their printed value
-- with amount null. A corrected document's earlier version is in fct_amount_history.
-- Incremental by the affected issuers' documents, as fct_amount_history.
{{ by_issuer() }}
select * exclude (is_current, superseded_by_document_id)
from {{ ref('fct_amount_history') }}
where is_current
{% if is_incremental() %}and {{ affected_documents('document_id') }}{% endif %}
