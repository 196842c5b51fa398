{#- Models whose every row is a function of one landed document (and the code) are built
    incrementally, keyed by document. The build (pipeline/build.py) starts from a copy of the
    published warehouse when it was built by the same code, and names the documents whose
    landed files changed since (new, changed, renamed, removed, quarantined) in a CSV whose
    path is TOUCHED_DOCUMENTS; such a model deletes those documents' rows and inserts what
    they give now. Without TOUCHED_DOCUMENTS every document counts as touched, so a run by
    hand recomputes the whole table. A model that reads other documents' rows (currentness,
    carry-over between years, issuers and years compared) must not use this. -#}
{#- The one materialisation of every keyed model: incremental, appending what the model gives
    after deleting the rows `condition` (a Jinja expression, rendered when the hook runs)
    selects in the existing table. -#}
{% macro deleting_and_appending(condition) -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where {{ " ~ condition ~ " }}{% endif %}"
    ) }}
{%- endmacro %}

{% macro by_document() -%}
    {{ deleting_and_appending("touched_documents('document_id')") }}
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
    {{ deleting_and_appending("affected_documents('document_id')") }}
{%- endmacro %}

{% macro affected_documents(column) -%}
    {{ documents_listed_in('AFFECTED_DOCUMENTS', column) }}
{%- endmacro %}

{% macro only_affected(column) -%}
    {%- if is_incremental() %}where {{ affected_documents(column) }}{% endif -%}
{%- endmacro %}

{#- Identities that compare the documents of one fiscal year across issuers (a department
    against its units; a code's usual name among all documents of a year) are built
    incrementally keyed by fiscal year: every document of a year a touched document was or is
    of (pipeline/build.py writes them to the CSV named by YEAR_DOCUMENTS). -#}
{% macro by_year() -%}
    {{ deleting_and_appending("year_documents('document_id')") }}
{%- endmacro %}

{% macro year_documents(column) -%}
    {{ documents_listed_in('YEAR_DOCUMENTS', column) }}
{%- endmacro %}

{#- `condition` in an incremental run, else true: a filter on the rows a model reads, written
    inline (`where … and {{ when_incremental(touched_documents('document_id')) }}`). -#}
{% macro when_incremental(condition) -%}
    {%- if is_incremental() -%}{{ condition }}{%- else -%}true{%- endif -%}
{%- endmacro %}

{#- The identity applications an incremental run recomputes: those of the affected documents
    (a superset of the touched ones, so the by-document identities' rows are among them), and
    for the identities keyed by fiscal year those of the touched documents' years. `prefix`
    qualifies the columns; `identity_column` names the identity (findings: rule_id). -#}
{% macro recomputed_applications(prefix='', identity_column='identity_id') -%}
    ({{ affected_documents(prefix ~ 'document_id') }}
     or ({{ prefix }}{{ identity_column }} in ({{ "'" ~ identities_by_year() | join("', '") ~ "'" }})
         and {{ year_documents(prefix ~ 'document_id') }}))
{%- endmacro %}

{% macro identities_by_year() -%}
    {{ return(['code_names_agree', 'department_equals_its_units']) }}
{%- endmacro %}

{#- A model's input, read whole in a full run and for the touched documents only in an
    incremental one: how a model whose rows each come from one document reads (by_document). -#}
{% macro touched_rows_of(name) -%}
    {{ rows_of(name, touched_documents('document_id')) }}
{%- endmacro %}

{#- `name`'s rows where `condition` holds in an incremental run, all of them otherwise. -#}
{% macro rows_of(name, condition) -%}
    {%- if is_incremental() -%}
        (select * from {{ ref(name) }} where {{ condition }})
    {%- else -%}
        {{ ref(name) }}
    {%- endif -%}
{%- endmacro %}

{#- The identity results (identity_results_history, identity_results) are built incrementally
    keyed by application: an incremental run deletes the applications it recomputes
    (recomputed_applications) and inserts what the identity models give for them now. -#}
{% macro by_application() -%}
    {{ deleting_and_appending("recomputed_applications()") }}
{%- endmacro %}

{#- findings: as the identity results, keyed by rule (an identity's id is its rule's id). -#}
{% macro by_finding() -%}
    {{ deleting_and_appending("recomputed_applications('', 'rule_id')") }}
{%- endmacro %}

{#- As touched_rows_of, for a model keyed by issuer (by_issuer): the affected documents' rows. -#}
{% macro affected_rows_of(name) -%}
    {{ rows_of(name, affected_documents('document_id')) }}
{%- endmacro %}
