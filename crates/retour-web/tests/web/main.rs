//! The web suite: real servers on free ports, real HTTP, and real headless Chromium.

mod accounts;
mod break_glass;
mod browser;
mod children;
mod delivery;
mod duplicates;
mod http;
mod languages;
mod lifecycle;
mod matrix;
mod mfa;
mod money;
mod monitoring;
mod newborn;
mod public;
mod races;
mod story;
mod subject;
mod support;
