{#- Models whose every row is a function of one landed document (and the code) are built
    incrementally, keyed by document. The build (pipeline/build.py) starts from a copy of the
    published warehouse when it was built by the same code, and names the documents whose
    landed files changed since (new, changed, renamed, removed, quarantined) in a CSV whose
    path is TOUCHED_DOCUMENTS; such a model deletes those documents' rows and inserts what
    they give now. Without TOUCHED_DOCUMENTS every document counts as touched, so a run by
    hand recomputes the whole table. A model that reads other documents' rows (currentness,
    carry-over between years, issuers and years compared) must not use this. -#}
{% macro by_document() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where {{ touched_documents('document_id') }}{% endif %}"
    ) }}
{%- endmacro %}

{#- The documents this run recomputes: a condition on `column`. -#}
{% macro touched_documents(column) -%}
    {{ documents_listed_in('TOUCHED_DOCUMENTS', column) }}
{%- endmacro %}

{#- A condition on `column`: the documents listed in the CSV the environment variable `name`
    points to, or every document when it is unset (a run by hand). -#}
{% macro documents_listed_in(name, column) -%}
    {%- set listed = env_var(name, '') -%}
    {%- if listed -%}
        {{ column }} in (select document_id from read_csv('{{ listed }}', header = true, columns = {'document_id': 'varchar'}))
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- In an incremental run, a filter on the rows read: only the touched documents'. -#}
{% macro only_touched(column) -%}
    {%- if is_incremental() %}where {{ touched_documents(column) }}{% endif -%}
{%- endmacro %}

{#- Models whose rows for a document depend on other documents of the same issuer only (which
    version of an issuer's year is current, the sibling a narrative is resolved against) are
    built incrementally keyed by the affected documents: the touched ones and every document
    sharing an issuer name or key with one of them, before or after the change
    (pipeline/build.py writes them to the CSV named by AFFECTED_DOCUMENTS). Such a model
    deletes those documents' rows and inserts what they give now. Identities across issuers
    (a department against its units) must not use this. -#}
{% macro by_issuer() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where {{ affected_documents('document_id') }}{% endif %}"
    ) }}
{%- endmacro %}

{% macro affected_documents(column) -%}
    {{ documents_listed_in('AFFECTED_DOCUMENTS', column) }}
{%- endmacro %}

{% macro only_affected(column) -%}
    {%- if is_incremental() %}where {{ affected_documents(column) }}{% endif -%}
{%- endmacro %}
