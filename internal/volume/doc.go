// Package volume reads policies/volume.csv, the sales or service volume
// per policy and period that a market complaint rate (市场投诉率) is taken
// over: complaints in a period divided by what was sold or served in it.
// Casebook holds complaints, not sales, so the office writes the volumes
// down in the repository where every change is in git like the cases.
package volume
