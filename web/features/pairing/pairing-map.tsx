import { ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { HouseholdView } from '../../api/pairing.ts';

echarts.use([ScatterChart, GridComponent, TooltipComponent, CanvasRenderer]);

const coordinates = (household: HouseholdView): [number, number] =>
  'x' in household.location ? [household.location.x, household.location.y] : [household.location.lon, household.location.lat];

/** A simple map of households, one colour per pairing state (paired or not), by their x,y (or lon,lat). */
export function PairingMap({ households, label, pairedLabel, unpairedLabel }: { households: readonly HouseholdView[]; label: string; pairedLabel: string; unpairedLabel: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    const series = (paired: boolean, name: string) => ({
      name,
      type: 'scatter' as const,
      symbolSize: 6,
      data: households.filter((household) => (household.cadre !== null) === paired).map((household) => [...coordinates(household), household.code, household.cadre?.name ?? '']),
    });
    chart.setOption({
      grid: { left: 40, right: 12, top: 12, bottom: 28 },
      tooltip: { formatter: (point: { value: [number, number, string, string] }) => `${point.value[2]} ${point.value[3]}` },
      xAxis: { type: 'value', scale: true },
      yAxis: { type: 'value', scale: true },
      series: [series(true, pairedLabel), series(false, unpairedLabel)],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [households, pairedLabel, unpairedLabel]);
  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height: 320 }} />;
}
