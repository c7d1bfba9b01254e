-- Geo: El Salvador territorial reference data (14 departments, 44 municipalities of the 2024 reform,
-- 262 districts). Loaded by the module's seed from the shipped files in modules/geo/data; geometry is
-- GeoJSON in jsonb (no PostGIS, so it runs on PGlite too). Point lookups use an in-memory index.

-- What was loaded: one row per dataset, with the checksum of the shipped files.
CREATE TABLE geo_datasets (
  name       text PRIMARY KEY,
  checksum   text NOT NULL,
  counts     jsonb NOT NULL,
  loaded_at  timestamptz NOT NULL
);

CREATE TABLE departments (
  code           text PRIMARY KEY CHECK (code ~ '^SV-[A-Z]{2}$'),
  -- Official number 01..14 (DIGESTYC, Hacienda CAT-012). hdx_pcode is alphabetical: never join the two.
  official_code  text NOT NULL UNIQUE CHECK (official_code ~ '^(0[1-9]|1[0-4])$'),
  name           text NOT NULL UNIQUE,
  hdx_pcode      text NOT NULL UNIQUE,
  bbox_min_lon   double precision NOT NULL,
  bbox_min_lat   double precision NOT NULL,
  bbox_max_lon   double precision NOT NULL,
  bbox_max_lat   double precision NOT NULL,
  label_lon      double precision NOT NULL,
  label_lat      double precision NOT NULL,
  geometry       jsonb NOT NULL
);

CREATE TABLE municipalities (
  pcode            text PRIMARY KEY,
  name             text NOT NULL,
  department_code  text NOT NULL REFERENCES departments (code),
  area_km2         double precision NOT NULL CHECK (area_km2 > 0),
  bbox_min_lon     double precision NOT NULL,
  bbox_min_lat     double precision NOT NULL,
  bbox_max_lon     double precision NOT NULL,
  bbox_max_lat     double precision NOT NULL,
  label_lon        double precision NOT NULL,
  label_lat        double precision NOT NULL,
  geometry         jsonb NOT NULL,
  UNIQUE (department_code, name)
);

-- Districts (the former 262 municipalities). Their polygons come from another source and do not nest
-- cleanly in the municipalities: overlap_share is the part of the polygon inside its municipality.
CREATE TABLE districts (
  id                  text PRIMARY KEY,
  name                text NOT NULL,
  municipality_pcode  text NOT NULL REFERENCES municipalities (pcode),
  department_code     text NOT NULL REFERENCES departments (code),
  overlap_share       double precision NOT NULL CHECK (overlap_share >= 0 AND overlap_share <= 1),
  gb_shape_id         text NOT NULL,
  source_name         text NOT NULL,
  bbox_min_lon        double precision NOT NULL,
  bbox_min_lat        double precision NOT NULL,
  bbox_max_lon        double precision NOT NULL,
  bbox_max_lat        double precision NOT NULL,
  label_lon           double precision NOT NULL,
  label_lat           double precision NOT NULL,
  geometry            jsonb NOT NULL,
  UNIQUE (municipality_pcode, name)
);
CREATE INDEX districts_department_idx ON districts (department_code);
