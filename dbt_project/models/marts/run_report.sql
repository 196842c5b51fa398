-- One row per input file of the last build: what happened to it and why.
select * from {{ ref('stg_landing__run_report') }}
